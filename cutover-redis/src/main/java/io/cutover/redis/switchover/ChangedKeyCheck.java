package io.cutover.redis.switchover;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.Replies;
import io.cutover.redis.select.KeyNames;
import io.cutover.redis.values.SameValue;
import io.cutover.redis.select.DbMapping;
import io.lettuce.core.RedisFuture;
import io.cutover.redis.connect.KeyedConnection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Compares the keys changed during a live copy between source and target, while source writes are paused: type,
 * whether a TTL is set, and the value ({@link SameValue}: equal DUMP payloads, else a type-native digest).
 */
final class ChangedKeyCheck {
    /** A differing key expiring within this on either side is checked again once it has expired. */
    static final long EXPIRY_GRACE_MS = 2000;
    /** A key that is gone. */
    private static final Value NONE = new Value("none", -2, null);

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
                out.add(new Value(Replies.await(side, types.get(i)), Replies.await(side, ttls.get(i)),
                        Replies.await(side, dumps.get(i))));
            }
            return out;
        } finally {
            c.setAutoFlushCommands(true);
        }
    }

    /**
     * The differences between {@code sourceValues} (of {@code keys} in source database {@code db}) and the target;
     * {@code sameFormat} when both sides' DUMP payloads can be compared byte for byte. Values whose payloads differ
     * (or can't be compared across versions) are decided by {@link SameValue} reading {@code sourceReads}; null when
     * the source can't be read (every command paused), where differing payloads count as a difference.
     */
    static List<String> compare(RedisEndpoint source, KeyedConnection sourceReads, RedisEndpoint target, DbMapping mapping,
                                int db, List<byte[]> keys, List<Value> sourceValues, boolean sameFormat) {
        List<byte[]> targetKeys = keys.stream().map(k -> mapping.targetKey(db, k)).toList();
        try (KeyedConnection t = target.connectKeyed(mapping.targetDb(db))) {
            List<Value> theirs = read(target, t, targetKeys);
            // A key copied with its remaining TTL expires on the target a little later than on the source (by the
            // copy's latency), and the two sides are read one after the other: a key about to expire on either side
            // is compared again once its TTL has run out rather than reported.
            List<Integer> expiringHere = new ArrayList<>();
            List<Integer> expiringThere = new ArrayList<>();
            long wait = 0;
            for (int i = 0; i < keys.size(); i++) {
                if (difference(sourceValues.get(i), theirs.get(i), sameFormat) == Outcome.SAME) {
                    continue;
                }
                if (expiresSoon(sourceValues.get(i))) {
                    expiringHere.add(i);
                    wait = Math.max(wait, sourceValues.get(i).pttl());
                }
                if (expiresSoon(theirs.get(i))) {
                    expiringThere.add(i);
                    wait = Math.max(wait, theirs.get(i).pttl());
                }
            }
            if (!expiringHere.isEmpty() || !expiringThere.isEmpty()) {
                sleep(wait + 10);
                theirs = readAgain(target, t, targetKeys, theirs, expiringThere);
                // paused, the source's TTLs can't change: with every command paused it can't be read, but its key is gone
                sourceValues = sourceReads == null ? gone(sourceValues, expiringHere)
                        : readAgain(source, sourceReads, keys, sourceValues, expiringHere);
            }
            List<Integer> valueUnsure = new ArrayList<>();
            String[] found = new String[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                Value a = sourceValues.get(i);
                Value b = theirs.get(i);
                switch (difference(a, b, sameFormat)) {
                    case SAME -> { }
                    case TYPE -> found[i] = a.type().equals("none") ? "deleted on the source, still on the target"
                            : b.type().equals("none") ? "missing on the target" : "type " + a.type() + " vs " + b.type();
                    case TTL -> found[i] = "TTL " + a.pttl() + "ms on the source, " + b.pttl() + "ms on the target";
                    case VALUE_UNSURE -> {
                        if (sourceReads != null) {
                            valueUnsure.add(i);
                        } else if (sameFormat) {
                            found[i] = "value differs (DUMP payloads differ; the source can't be read while paused)";
                        }
                    }
                }
            }
            if (!valueUnsure.isEmpty()) {
                boolean[] same = SameValue.compare(source, sourceReads, valueUnsure.stream().map(keys::get).toList(),
                        target, t, valueUnsure.stream().map(targetKeys::get).toList());
                for (int j = 0; j < same.length; j++) {
                    if (!same[j]) {
                        found[valueUnsure.get(j)] = "value differs";
                    }
                }
            }
            List<String> diffs = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (found[i] != null) {
                    diffs.add("db " + db + " " + KeyNames.display(keys.get(i)) + ": " + found[i]);
                }
            }
            return diffs;
        }
    }

    private static boolean expiresSoon(Value v) {
        return v.pttl() >= 0 && v.pttl() <= EXPIRY_GRACE_MS;
    }

    /** {@code values} with those at {@code at} read again on {@code c}. */
    private static List<Value> readAgain(RedisEndpoint side, KeyedConnection c, List<byte[]> keys, List<Value> values,
                                         List<Integer> at) {
        if (at.isEmpty()) {
            return values;
        }
        List<Value> again = read(side, c, at.stream().map(keys::get).toList());
        List<Value> out = new ArrayList<>(values);
        for (int j = 0; j < at.size(); j++) {
            out.set(at.get(j), again.get(j));
        }
        return out;
    }

    /** {@code values} with those at {@code at} gone. */
    private static List<Value> gone(List<Value> values, List<Integer> at) {
        List<Value> out = new ArrayList<>(values);
        at.forEach(i -> out.set(i, NONE));
        return out;
    }

    /** What a first look at a key's two states says. */
    private enum Outcome { SAME, TYPE, TTL, VALUE_UNSURE }

    private static Outcome difference(Value s, Value t, boolean sameFormat) {
        if (!s.type().equals(t.type())) {
            return Outcome.TYPE;
        } else if ((s.pttl() >= 0) != (t.pttl() >= 0)) {
            return Outcome.TTL;
        } else if (s.type().equals("none") || sameFormat && Arrays.equals(s.dump(), t.dump())) {
            return Outcome.SAME;
        }
        return Outcome.VALUE_UNSURE;
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
