package io.cutover.redis.switchover;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.select.DbMapping;
import io.lettuce.core.RedisFuture;
import io.cutover.redis.connect.KeyedConnection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Compares the keys changed during a live copy between source and target, while source writes are paused: type,
 * whether a TTL is set, and the DUMP payload when both servers write the same RDB version.
 */
final class ChangedKeyCheck {
    /** A differing target key expiring within this is checked again once it has expired. */
    static final long EXPIRY_GRACE_MS = 2000;

    /** A source key's state: its type ("none" when absent), PTTL and DUMP payload. */
    record Value(String type, long pttl, byte[] dump) {
    }

    private ChangedKeyCheck() {
    }

    /** Reads {@code keys} (pipelined) on {@code c}, which is on the right database (or routes by slot). */
    static List<Value> read(RedisEndpoint side, KeyedConnection c, List<byte[]> keys) {
        List<RedisFuture<String>> types = new ArrayList<>(keys.size());
        List<RedisFuture<Long>> ttls = new ArrayList<>(keys.size());
        List<RedisFuture<byte[]>> dumps = new ArrayList<>(keys.size());
        c.setAutoFlushCommands(false);
        try {
            for (byte[] k : keys) {
                types.add(c.async().type(k));
                ttls.add(c.async().pttl(k));
                dumps.add(c.async().dump(k));
            }
            c.flushCommands();
            List<Value> out = new ArrayList<>(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                out.add(new Value(types.get(i).get(), ttls.get(i).get(), dumps.get(i).get()));
            }
            return out;
        } catch (ExecutionException e) {
            throw side.failure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        } finally {
            c.setAutoFlushCommands(true);
        }
    }

    /**
     * The differences between {@code sourceValues} (of {@code keys} in source database {@code db}) and the target;
     * {@code sameFormat} when both sides' DUMP payloads can be compared byte for byte.
     */
    static List<String> compare(RedisEndpoint target, DbMapping mapping, int db, List<byte[]> keys,
                                List<Value> sourceValues, boolean sameFormat) {
        List<byte[]> targetKeys = keys.stream().map(k -> mapping.targetKey(db, k)).toList();
        List<Value> theirs;
        try (KeyedConnection t = target.connectKeyed(mapping.targetDb(db))) {
            theirs = read(target, t, targetKeys);
        }
        // A key copied with its remaining TTL expires on the target a little later than on the source (by the copy's
        // latency); one about to expire there is read again once its TTL has run out rather than reported.
        List<Integer> expiring = new ArrayList<>();
        long wait = 0;
        for (int i = 0; i < keys.size(); i++) {
            long pttl = theirs.get(i).pttl();
            if (difference(sourceValues.get(i), theirs.get(i), sameFormat) != null && pttl >= 0 && pttl <= EXPIRY_GRACE_MS) {
                expiring.add(i);
                wait = Math.max(wait, pttl);
            }
        }
        if (!expiring.isEmpty()) {
            sleep(wait + 10);
            List<Value> again;
            try (KeyedConnection t = target.connectKeyed(mapping.targetDb(db))) {
                again = read(target, t, expiring.stream().map(targetKeys::get).toList());
            }
            theirs = new ArrayList<>(theirs);
            for (int j = 0; j < expiring.size(); j++) {
                theirs.set(expiring.get(j), again.get(j));
            }
        }
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String d = difference(sourceValues.get(i), theirs.get(i), sameFormat);
            if (d != null) {
                diffs.add("db " + db + " " + new String(keys.get(i), StandardCharsets.UTF_8) + ": " + d);
            }
        }
        return diffs;
    }

    /** How a key's target state differs from its source state, or null when it doesn't. */
    private static String difference(Value s, Value t, boolean sameFormat) {
        if (!s.type().equals(t.type())) {
            return s.type().equals("none") ? "deleted on the source, still on the target"
                    : t.type().equals("none") ? "missing on the target" : "type " + s.type() + " vs " + t.type();
        } else if ((s.pttl() >= 0) != (t.pttl() >= 0)) {
            return "TTL " + s.pttl() + "ms on the source, " + t.pttl() + "ms on the target";
        } else if (sameFormat && !Arrays.equals(s.dump(), t.dump())) {
            return "value differs";
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        }
    }

    /** Keys per database, for the size of a check. */
    static long count(Map<Integer, List<byte[]>> keys) {
        return keys.values().stream().mapToLong(List::size).sum();
    }
}
