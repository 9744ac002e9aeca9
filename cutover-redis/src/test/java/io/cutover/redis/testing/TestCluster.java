package io.cutover.redis.testing;

import io.cutover.testkit.redis.LocalRedisCluster;
import io.cutover.testkit.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A local Redis 7 cluster with the managed-service restrictions ({@link TestRedis#MANAGED}), and ways to read it. */
public final class TestCluster implements AutoCloseable {
    private final LocalRedisCluster cluster;

    private TestCluster(LocalRedisCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts {@code n} primaries (with {@code args} as extra config) and forms the cluster. */
    public static TestCluster start(int n, String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(TestRedis.MANAGED));
        all.addAll(Arrays.asList(args));
        return new TestCluster(LocalRedisCluster.start(TestRedis.V7.binary(), n, all.toArray(String[]::new)));
    }

    /** Every key of the cluster (each primary read in turn), as {@link Keyspaces#read} gives them. */
    public Map<String, Keyspaces.Entry> read() {
        Map<String, Keyspaces.Entry> all = new TreeMap<>();
        RedisClient client = RedisClient.create();
        try {
            for (LocalRedisServer s : primaries()) {
                try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE, uri(s))) {
                    all.putAll(Keyspaces.read(c));
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        return all;
    }

    /** Keys per primary (DBSIZE), in start order. */
    public List<Long> keysPerPrimary() {
        List<Long> out = new ArrayList<>();
        RedisClient client = RedisClient.create();
        try {
            for (LocalRedisServer s : primaries()) {
                try (StatefulRedisConnection<String, String> c = client.connect(uri(s))) {
                    out.add(c.sync().dbsize());
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        return out;
    }

    private static RedisURI uri(LocalRedisServer s) {
        return RedisURI.create("127.0.0.1", s.port());
    }

    /** A URI of one node; clients discover the rest. */
    public String uri() {
        return cluster.uri();
    }

    public List<LocalRedisServer> primaries() {
        return cluster.primaries();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
