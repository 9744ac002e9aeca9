package io.cutover.testkit.redis;

import io.cutover.core.error.CutoverException;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway Redis Cluster of primaries (no replicas) on free loopback ports, for the demo and tests: each server
 * started with --cluster-enabled, slots split evenly by CLUSTER ADDSLOTSRANGE (Redis 7+), nodes introduced with
 * CLUSTER MEET; {@link #start} returns when every node reports cluster_state:ok and knows every other.
 */
public final class LocalRedisCluster implements AutoCloseable {
    private final List<LocalRedisServer> primaries;

    private LocalRedisCluster(List<LocalRedisServer> primaries) {
        this.primaries = primaries;
    }

    /** Starts {@code n} primaries (with {@code args} as extra config) and forms the cluster. */
    public static LocalRedisCluster start(Path binary, int n, String... args) {
        List<LocalRedisServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                List<String> config = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                        "nodes.conf", "--cluster-node-timeout", "5000"));
                config.addAll(List.of(args));
                servers.add(LocalRedisServer.start(binary, config.toArray(String[]::new)));
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
            return new LocalRedisCluster(List.copyOf(servers));
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
                        throw CutoverException.runtime("the local cluster did not form within 30s: " + info.lines().findFirst().orElse(""));
                    }
                    LocalRedisServer.sleep(50);
                }
            }
        }
    }

    private static RedisURI uri(LocalRedisServer s) {
        return RedisURI.create("127.0.0.1", s.port());
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
