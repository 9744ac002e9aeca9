package io.cutover.redis.live;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Key-by-key comparison of two databases of servers with the same DUMP format (test oracle). */
final class Compare {
    private Compare() {
    }

    /** The first differences (missing, extra, value, count of keys with a TTL); empty when identical. */
    static List<String> differences(StatefulRedisConnection<byte[], byte[]> source,
                                    StatefulRedisConnection<byte[], byte[]> target) throws Exception {
        Set<ByteBuffer> src = keys(source.sync());
        Set<ByteBuffer> tgt = keys(target.sync());
        List<String> diffs = new ArrayList<>();
        List<byte[]> both = new ArrayList<>();
        for (ByteBuffer k : src) {
            if (tgt.contains(k)) {
                both.add(bytes(k));
            } else if (source.sync().exists(bytes(k)) > 0) { // expired between the two scans: not a difference
                diffs.add("missing " + show(bytes(k)));
            }
        }
        for (ByteBuffer k : tgt) {
            if (!src.contains(k) && target.sync().exists(bytes(k)) > 0) {
                diffs.add("extra " + show(bytes(k)));
            }
        }
        for (int from = 0; from < both.size() && diffs.size() < 20; from += 1000) {
            List<byte[]> chunk = both.subList(from, Math.min(both.size(), from + 1000));
            List<RedisFuture<byte[]>> sd = new ArrayList<>();
            List<RedisFuture<byte[]>> td = new ArrayList<>();
            for (byte[] k : chunk) {
                sd.add(source.async().dump(k));
                td.add(target.async().dump(k));
            }
            for (int i = 0; i < chunk.size(); i++) {
                if (!Arrays.equals(sd.get(i).get(), td.get(i).get())) {
                    diffs.add("value " + show(chunk.get(i)));
                }
            }
        }
        // keys with a TTL: the same number on both sides (per-key PTTL would double the test's time)
        String se = expires(source.sync().info("keyspace"));
        String te = expires(target.sync().info("keyspace"));
        if (!se.equals(te)) {
            diffs.add("keys with a TTL: source " + se + ", target " + te);
        }
        return diffs.subList(0, Math.min(20, diffs.size()));
    }

    private static String expires(String info) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("expires=([0-9]+)").matcher(info);
        return m.find() ? m.group(1) : "0";
    }

    private static Set<ByteBuffer> keys(RedisCommands<byte[], byte[]> r) {
        Set<ByteBuffer> out = new HashSet<>();
        ScanCursor c = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = r.scan(c, ScanArgs.Builder.limit(5000));
            page.getKeys().forEach(k -> out.add(ByteBuffer.wrap(k)));
            c = page;
        } while (!c.isFinished());
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static String show(byte[] k) {
        return new String(k, StandardCharsets.UTF_8);
    }
}
