package io.cutover.redis.select;

import io.cutover.redis.keys.KeyText;


/** Printable key names and key prefixes, binary-safe. */
public final class KeyNames {
    /** The prefix shown for keys without the delimiter. */
    public static final String NO_PREFIX = "(no prefix)";

    private KeyNames() {
    }

    /** The key as text, quoted as redis-cli does where needed: see {@link KeyText#quote(byte[])}. */
    public static String display(byte[] key) {
        return KeyText.quote(key);
    }

    /**
     * The key's prefix: everything up to and including the {@code depth}-th delimiter (or the last one when the key
     * has fewer), {@link #NO_PREFIX} when it has none. {@code user:42:cart} → {@code user:} at depth 1.
     */
    public static String prefix(byte[] key, byte[] delimiter, int depth) {
        byte[] p = prefixBytes(key, delimiter, depth);
        return p == null ? NO_PREFIX : display(p);
    }

    /** The bytes of the key's prefix as {@link #prefix} finds it, or null when the key has no delimiter. */
    public static byte[] prefixBytes(byte[] key, byte[] delimiter, int depth) {
        int end = -1;
        int found = 0;
        for (int i = 0; i + delimiter.length <= key.length && found < depth; i++) {
            if (startsAt(key, delimiter, i)) {
                found++;
                end = i + delimiter.length;
                i += delimiter.length - 1;
            }
        }
        if (end < 0) {
            return null;
        }
        byte[] p = new byte[end];
        System.arraycopy(key, 0, p, 0, end);
        return p;
    }

    private static boolean startsAt(byte[] key, byte[] d, int at) {
        for (int j = 0; j < d.length; j++) {
            if (key[at + j] != d[j]) {
                return false;
            }
        }
        return true;
    }
}
