package io.cutover.redis.select;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Printable key names and key prefixes, binary-safe. */
public final class KeyNames {
    /** The prefix shown for keys without the delimiter. */
    public static final String NO_PREFIX = "(no prefix)";

    private KeyNames() {
    }

    /** The key as text: UTF-8 when it is valid and printable, otherwise with {@code \xNN} escapes. */
    public static String display(byte[] key) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
            if (s.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
                return s;
            }
        } catch (CharacterCodingException e) {
            // fall through to escapes
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : key) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
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
