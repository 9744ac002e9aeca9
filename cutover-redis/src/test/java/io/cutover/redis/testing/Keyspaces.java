package io.cutover.redis.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Test data for copies: fills a database with every type (and TTLs) and reads a keyspace back for comparison. */
public final class Keyspaces {
    private Keyspaces() {
    }

    /** One key as read back: type, an order-free rendering of its value, and its remaining TTL (-1 = none). */
    public record Entry(String type, String value, long pttl) {
    }

    /**
     * Writes {@code n} keys of each of string, hash, list, set and zset named {@code prefix + type + ":" + i}
     * (and streams when {@code streams}); every third key gets a TTL of about an hour.
     */
    public static void fill(io.lettuce.core.cluster.api.sync.RedisClusterCommands<byte[], byte[]> c, String prefix, int n, boolean streams) {
        for (int i = 0; i < n; i++) {
            byte[] s = b(prefix + "string:" + i);
            c.set(s, b("value-" + i + "-\u00e9"));
            byte[] h = b(prefix + "hash:" + i);
            c.hmset(h, Map.of(b("f1"), b("a" + i), b("f2"), b("b" + i), b("n"), b(String.valueOf(i))));
            byte[] l = b(prefix + "list:" + i);
            c.rpush(l, b("x" + i), b("y"), b("z"), b("y"));
            byte[] st = b(prefix + "set:" + i);
            c.sadd(st, b("m1"), b("m2-" + i), b("m3"));
            byte[] z = b(prefix + "zset:" + i);
            c.zadd(z, 1.5, b("one"));
            c.zadd(z, -2, b("two-" + i));
            c.zadd(z, 1e10, b("big"));
            List<byte[]> keys = new ArrayList<>(List.of(s, h, l, st, z));
            if (streams) {
                byte[] x = b(prefix + "stream:" + i);
                c.xadd(x, Map.of(b("event"), b("e" + i)));
                c.xadd(x, Map.of(b("event"), b("f" + i), b("extra"), b("1")));
                keys.add(x);
            }
            if (i % 3 == 0) {
                for (byte[] k : keys) {
                    c.pexpire(k, 3_600_000 + i);
                }
            }
        }
    }

    /** Every key of the connection's database, by name (ISO-8859-1 so binary keys survive). */
    public static Map<String, Entry> read(StatefulRedisConnection<byte[], byte[]> conn) {
        RedisCommands<byte[], byte[]> c = conn.sync();
        Map<String, Entry> out = new TreeMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = c.scan(cursor, ScanArgs.Builder.limit(1000));
            for (byte[] k : page.getKeys()) {
                Entry e = entry(c, k);
                if (e != null) {
                    out.put(s(k), e);
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return out;
    }

    /** One key, or null when it does not exist. */
    public static Entry entry(io.lettuce.core.cluster.api.sync.RedisClusterCommands<byte[], byte[]> c, byte[] k) {
        String type = c.type(k);
        String value = switch (type) {
            case "string" -> s(c.get(k));
            case "hash" -> {
                TreeMap<String, String> m = new TreeMap<>();
                c.hgetall(k).forEach((f, v) -> m.put(s(f), s(v)));
                yield m.toString();
            }
            case "list" -> c.lrange(k, 0, -1).stream().map(Keyspaces::s).toList().toString();
            case "set" -> new TreeSet<>(c.smembers(k).stream().map(Keyspaces::s).toList()).toString();
            case "zset" -> {
                TreeMap<String, Double> m = new TreeMap<>();
                for (ScoredValue<byte[]> v : c.zrangeWithScores(k, 0, -1)) {
                    m.put(s(v.getValue()), v.getScore());
                }
                yield m.toString();
            }
            case "stream" -> {
                List<String> entries = new ArrayList<>();
                for (StreamMessage<byte[], byte[]> m : c.xrange(k, Range.create("-", "+"))) {
                    TreeMap<String, String> body = new TreeMap<>();
                    m.getBody().forEach((f, v) -> body.put(s(f), s(v)));
                    entries.add(m.getId() + body);
                }
                yield entries.toString();
            }
            case "none" -> null;
            default -> "?" + type;
        };
        return value == null ? null : new Entry(type, value, c.pttl(k));
    }

    public static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }
}
