package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.RedisEndpoint;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the source publishes the keyspace notifications a live copy needs ({@code notify-keyspace-events}
 * with K and every event class, e.g. {@code KEA}), and puts the old setting back on {@link #close()}.
 * Where CONFIG works and the setting is off, it is turned on only with the user's consent. Where CONFIG is refused
 * (managed services), a short probe on a temporary key tells whether the parameter group already enables them;
 * if not, the error names the exact setting to change.
 */
public final class KeyspaceNotifications implements AutoCloseable {
    /** The setting a live copy asks for. */
    public static final String REQUIRED = "KEA";
    private static final String PARAMETER = "notify-keyspace-events";

    /** Answers "may I turn notifications on?": true to go ahead; throws a usage error when nobody can answer. */
    @FunctionalInterface
    public interface Consent {
        boolean allow(String question);
    }

    private final RedisEndpoint source;
    private final String restoreTo;
    private final String description;
    private final List<KeyspaceNotifications> primaries;

    private KeyspaceNotifications(RedisEndpoint source, String restoreTo, String description) {
        this.source = source;
        this.restoreTo = restoreTo;
        this.description = description;
        this.primaries = List.of();
    }

    private KeyspaceNotifications(RedisEndpoint cluster, List<KeyspaceNotifications> primaries) {
        this.source = cluster;
        this.restoreTo = null;
        this.primaries = List.copyOf(primaries);
        java.util.Set<String> distinct = new java.util.TreeSet<>();
        primaries.forEach(p -> distinct.add(p.description));
        this.description = distinct.size() == 1 ? distinct.iterator().next() + " on all " + primaries.size() + " primaries"
                : String.join("; ", primaries.stream().map(p -> p.source.uri().address() + " " + p.description).toList());
    }

    /**
     * Checks (and with consent enables) notifications on {@code source}, probing in database {@code probeDb}; on a
     * cluster, on every primary (each publishes its own keys' events only).
     */
    public static KeyspaceNotifications ensure(RedisEndpoint source, int probeDb, Consent consent) {
        if (!source.cluster()) {
            return ensureOn(source, probeDb, consent, "cutover:notification-probe:" + UUID.randomUUID());
        }
        List<KeyspaceNotifications> done = new ArrayList<>();
        try {
            List<RedisEndpoint> nodes = source.nodes();
            for (int i = 0; i < nodes.size(); i++) {
                done.add(ensureOn(nodes.get(i), 0, consent, probeKeyServedBy(source, i)));
            }
        } catch (RuntimeException e) {
            done.forEach(KeyspaceNotifications::close); // put back what was already changed
            throw e;
        }
        return new KeyspaceNotifications(source, done);
    }

    /** A probe key in a slot that primary {@code index} serves, so the probe runs on that primary. */
    private static String probeKeyServedBy(RedisEndpoint cluster, int index) {
        while (true) {
            String key = "cutover:notification-probe:" + UUID.randomUUID();
            if (cluster.topology().ownerOf(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) == index) {
                return key;
            }
        }
    }

    private static KeyspaceNotifications ensureOn(RedisEndpoint source, int probeDb, Consent consent, String probeKey) {
        String where = "source " + source.uri().address();
        String current;
        try (StatefulRedisConnection<String, String> c = source.client().connect(StringCodec.UTF8, source.lettuceUri(0))) {
            try {
                Map<String, String> m = c.sync().configGet(PARAMETER);
                current = m.getOrDefault(PARAMETER, "");
            } catch (RedisCommandExecutionException e) {
                current = null; // CONFIG refused (renamed away, ACL): find out by probing
            }
            if (current == null) {
                if (probe(source, probeDb, probeKey)) {
                    return new KeyspaceNotifications(source, null, "on (probed; CONFIG not available)");
                }
                throw CutoverException.usage(where + ": keyspace notifications are off and this server refuses CONFIG: "
                        + "set " + PARAMETER + " " + REQUIRED + " in its parameter group (managed service settings), "
                        + "then run again");
            }
            if (sufficient(current)) {
                return new KeyspaceNotifications(source, null, "on (" + PARAMETER + " '" + current + "')");
            }
            String wanted = merge(current);
            if (!consent.allow(where + " has " + PARAMETER + " '" + current + "'; a live copy needs keyspace "
                    + "notifications. Set it to '" + wanted + "' until the copy ends (the old value is restored)?")) {
                throw CutoverException.usage(where + ": keyspace notifications are off (" + PARAMETER + " '" + current
                        + "'); allow turning them on, or set " + PARAMETER + " " + REQUIRED + " yourself");
            }
            try {
                c.sync().configSet(PARAMETER, wanted);
            } catch (RedisCommandExecutionException e) {
                throw CutoverException.usage(where + ": cannot turn keyspace notifications on (" + e.getMessage()
                        + "): set " + PARAMETER + " " + REQUIRED + " in the server's configuration", e);
            }
            return new KeyspaceNotifications(source, current, "turned on ('" + current + "' → '" + wanted
                    + "', restored at exit)");
        } catch (CutoverException e) {
            throw e;
        } catch (RuntimeException e) {
            throw source.failure(e);
        }
    }

    /** True when {@code flags} publish keyspace events of every class. */
    static boolean sufficient(String flags) {
        if (flags.indexOf('K') < 0) {
            return false;
        }
        if (flags.indexOf('A') >= 0) {
            return true;
        }
        for (char c : "g$lshzxe".toCharArray()) {
            if (flags.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The old flags plus K, E and A (keeps whatever else applications rely on, e.g. keyevent notifications). */
    static String merge(String current) {
        StringBuilder sb = new StringBuilder(current);
        for (char c : REQUIRED.toCharArray()) {
            if (sb.indexOf(String.valueOf(c)) < 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Writes a temporary key, expires it and reads it back, listening to its keyspace channel: a server that
     * publishes the set, expire and expired events publishes what a live copy needs.
     */
    static boolean probe(RedisEndpoint source, int db, String key) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (StatefulRedisPubSubConnection<String, String> sub = source.client().connectPubSub(StringCodec.UTF8, source.lettuceUri(0));
             StatefulRedisConnection<String, String> c = source.client().connect(StringCodec.UTF8, source.lettuceUri(db))) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    seen.add(message);
                }
            });
            sub.sync().subscribe("__keyspace@" + db + "__:" + key);
            c.sync().psetex(key, 60_000, "probe");
            c.sync().pexpire(key, 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline && !seen.containsAll(Set.of("set", "expire", "expired"))) {
                c.sync().exists(key); // touching an expired key makes the server expire it (and publish "expired")
                Thread.sleep(10);
            }
            c.sync().del(key);
            return seen.containsAll(Set.of("set", "expire", "expired"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        }
    }

    /** What was found or done, for the summary. */
    public String description() {
        return description;
    }

    /** Puts back the setting found at the start, if we changed it. */
    @Override
    public void close() {
        for (KeyspaceNotifications p : primaries) {
            p.close();
        }
        if (restoreTo == null) {
            return;
        }
        try (StatefulRedisConnection<String, String> c = source.client().connect(StringCodec.UTF8, source.lettuceUri(0))) {
            c.sync().configSet(PARAMETER, restoreTo);
        } catch (RuntimeException e) {
            throw CutoverException.runtime("source " + source.uri().address() + ": could not restore " + PARAMETER
                    + " to '" + restoreTo + "': " + e.getMessage(), e);
        }
    }
}
