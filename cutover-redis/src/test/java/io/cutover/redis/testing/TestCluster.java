package io.cutover.redis.testing;

import io.cutover.redis.local.LocalRedisServer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A local Redis Cluster of Redis 7 primaries (no replicas) for tests: each started with --cluster-enabled and the
 * managed-service restrictions, slots split evenly by CLUSTER ADDSLOTSRANGE, nodes introduced with CLUSTER MEET;
 * returns when every node reports cluster_state:ok and knows every other.
 */
public final class TestCluster implements AutoCloseable {
    private final List<LocalRedisServer> primaries;

    private TestCluster(List<LocalRedisServer> primaries) {
        this.primaries = primaries;
    }

    /** Starts {@code n} primaries and forms the cluster. */
    public static TestCluster start(int n) {
        List<LocalRedisServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                servers.add(TestRedis.V7.startManaged("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
            }
            RedisClient client = RedisClient.create();
            try {
                for (int i = 0; i < n; i++) {
                    try (StatefulRedisConnection<String, String> c = client.connect(uri(servers.get(i)))) {
                        int from = 16384 * i / n;
                        int to = 16384 * (i + 1) / n - 1;
                        c.sync().clusterAddSlotsRange(Range.create(from, to));
                        if (i > 0) {
                            c.sync().clusterMeet("127.0.0.1", servers.get(0).port());
                        }
                    }
                }
                awaitFormed(client, servers);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
            return new TestCluster(List.copyOf(servers));
        } catch (RuntimeException e) {
            servers.forEach(LocalRedisServer::close);
            throw e;
        }
    }

    private static void awaitFormed(RedisClient client, List<LocalRedisServer> servers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (LocalRedisServer s : servers) {
            try (StatefulRedisConnection<String, String> c = client.connect(uri(s))) {
                RedisCommands<String, String> r = c.sync();
                while (true) {
                    String info = r.clusterInfo();
                    if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + servers.size())
                            && r.clusterNodes().lines().noneMatch(l -> l.contains("handshake") || l.contains(" :0@"))) {
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("cluster did not form: " + info);
                    }
                    sleep(50);
                }
            }
        }
    }

    private static RedisURI uri(LocalRedisServer s) {
        return RedisURI.create("127.0.0.1", s.port());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every key of the cluster (each primary read in turn), as {@link Keyspaces#read} gives them. */
    public java.util.Map<String, Keyspaces.Entry> read() {
        java.util.Map<String, Keyspaces.Entry> all = new java.util.TreeMap<>();
        RedisClient client = RedisClient.create();
        try {
            for (LocalRedisServer s : primaries) {
                try (StatefulRedisConnection<byte[], byte[]> c = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE, uri(s))) {
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
            for (LocalRedisServer s : primaries) {
                try (StatefulRedisConnection<String, String> c = client.connect(uri(s))) {
                    out.add(c.sync().dbsize());
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        return out;
    }

    /** A URI of one node; clients discover the rest. */
    public String uri() {
        return primaries.get(0).uri();
    }

    public List<LocalRedisServer> primaries() {
        return primaries;
    }

    @Override
    public void close() {
        primaries.forEach(LocalRedisServer::close);
    }
}
