package io.cutover.sql.state;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Source key → target key when both are integers, seen as a map of key texts: two primitive arrays (open
 * addressing) instead of a HashMap of strings, which costs three times the memory, a cache miss per object on the
 * way to each key, and young collections that copy every entry. Holds a whole log for verify and this run's
 * entries for children's refs. Not thread-safe; {@link #put(Object, Object)} is not supported (use
 * {@link #putText} or {@link #put(long, long)}).
 */
public final class IntegerKeyMap extends AbstractMap<String, String> {
    private static final long FREE = Long.MIN_VALUE; // a source key of this value lives in minKeyTarget instead

    private long[] keys;
    private long[] targets;
    private int mask;
    private int size;
    private boolean hasMinKey;
    private long minKeyTarget;

    /** A map sized for {@code expected} entries (it grows past them). */
    public IntegerKeyMap(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1); // at most half full
    }

    public void put(long key, long target) {
        if (key == FREE) {
            size += hasMinKey ? 0 : 1;
            hasMinKey = true;
            minKeyTarget = target;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
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

    /** Adds an entry given as texts and returns true, or returns false (adding nothing) when either is not an integer. */
    public boolean putText(String key, String target) {
        Long k = parse(key);
        Long t = k == null ? null : parse(target);
        if (t == null) {
            return false;
        }
        put(k, t);
        return true;
    }

    @Override
    public String get(Object key) {
        Long k = key instanceof String s ? parse(s) : null;
        if (k == null) {
            return null; // not an integer's text: no entry can have it
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

    /** The value of a canonical integer text (as databases print them: no sign but '-', no leading zeros), or null. */
    private static Long parse(String s) {
        int n = s.length();
        int from = n > 0 && s.charAt(0) == '-' ? 1 : 0;
        if (n == from || n - from > 19 || (s.charAt(from) == '0' && n - from > 1)) {
            return null;
        }
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null; // 19 digits past the range
        }
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

    private void grow() {
        long[] oldKeys = keys;
        long[] oldTargets = targets;
        allocate(keys.length * 2);
        size = hasMinKey ? 1 : 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != FREE) {
                put(oldKeys[i], oldTargets[i]);
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        targets = new long[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, FREE);
    }
}
