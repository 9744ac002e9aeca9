package io.cutover.sql.state;

import java.util.AbstractMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A step's whole migration log when both its keys are integers, read-only once filled: source key → target key in
 * two primitive arrays (open addressing), seen as a map of key texts. A full verify looks every row up in it, and
 * a HashMap of strings costs about three times the memory and a cache miss per object on the way to each key.
 */
final class IntegerKeyLog extends AbstractMap<String, String> {
    private static final long FREE = Long.MIN_VALUE; // a source key of this value lives in minKeyTarget instead

    private final long[] keys;
    private final long[] targets;
    private final int mask;
    private int size;
    private boolean hasMinKey;
    private long minKeyTarget;

    IntegerKeyLog(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1; // at most half full
        keys = new long[capacity];
        targets = new long[capacity];
        mask = capacity - 1;
        java.util.Arrays.fill(keys, FREE);
    }

    void put(long key, long target) {
        if (key == FREE) {
            size += hasMinKey ? 0 : 1;
            hasMinKey = true;
            minKeyTarget = target;
            return;
        }
        int i = slot(key);
        while (keys[i] != FREE && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == FREE) {
            size++;
        }
        keys[i] = key;
        targets[i] = target;
    }

    @Override
    public String get(Object key) {
        if (!(key instanceof String s)) {
            return null;
        }
        long k;
        try {
            k = Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null; // not an integer: no entry can have it
        }
        if (k == FREE) {
            return hasMinKey ? Long.toString(minKeyTarget) : null;
        }
        for (int i = slot(k); keys[i] != FREE; i = (i + 1) & mask) {
            if (keys[i] == k) {
                return Long.toString(targets[i]);
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return size;
    }

    /** Every entry, as texts (built on demand: the look-ups above are what this map is for). */
    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        Set<Map.Entry<String, String>> out = new HashSet<>(size * 2);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != FREE) {
                out.add(Map.entry(Long.toString(keys[i]), Long.toString(targets[i])));
            }
        }
        if (hasMinKey) {
            out.add(Map.entry(Long.toString(FREE), Long.toString(minKeyTarget)));
        }
        return out;
    }

    /**
     * Runs of 32 consecutive keys get neighbouring slots, and the runs are spread by Fibonacci hashing: keys from a
     * sequence are looked up in about the order they were made, so the arrays are read almost in order instead of
     * with a cache miss per key (that miss was a quarter of a full verify's time in the JVM).
     */
    private int slot(long key) {
        long run = (key >>> 5) * 0x9E3779B97F4A7C15L;
        return (int) (((run >>> 32) << 5) | (key & 31)) & mask;
    }
}
