package io.cutover.redis.keys;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The one rule for showing a Redis key (any bytes) to a person or a script.
 * <ul>
 * <li>{@link #quote}: a key of plain printable ASCII without spaces, quotes or backslashes prints as it is
 *     ({@code session:42}); any other key is quoted as redis-cli quotes it: {@code "a\x00"}, {@code "a\\x00"} for the
 *     four characters, {@code " lead"}, {@code "caf\xc3\xa9"}, {@code ""}. The two forms can't be confused: a bare key
 *     never holds a quote or a backslash.</li>
 * <li>{@link #cut}: the quoted key cut to a width for a table, with {@code …} and the key's length in bytes.</li>
 * <li>{@link #putJson}: the exact key for JSON, {@code key} when it is valid UTF-8, else {@code key_base64}.</li>
 * </ul>
 */
public final class KeyText {
    /** Default width of a key column in tables. */
    public static final int WIDTH = 60;

    private KeyText() {
    }

    /** The key as redis-cli would print it, without quotes when nothing needs them. */
    public static String quote(byte[] key) {
        if (plain(key)) {
            return new String(key, StandardCharsets.US_ASCII);
        }
        StringBuilder sb = new StringBuilder(key.length + 2).append('"');
        for (byte b : key) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** {@link #quote(byte[])} of a key held as text (UTF-8). */
    public static String quote(String key) {
        return quote(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The quoted key, at most {@code width} characters: a longer one keeps its start and ends with
     * {@code …(N bytes)}, N the key's length.
     */
    public static String cut(byte[] key, int width) {
        String q = quote(key);
        if (q.length() <= width) {
            return q;
        }
        String tail = "…(" + key.length + " bytes)";
        return q.substring(0, Math.max(1, width - tail.length())) + tail;
    }

    /** {@link #cut(byte[], int)} at {@link #WIDTH}. */
    public static String cut(byte[] key) {
        return cut(key, WIDTH);
    }

    /** {@link #cut(byte[], int)} of a key held as text (UTF-8). */
    public static String cut(String key, int width) {
        return cut(key.getBytes(StandardCharsets.UTF_8), width);
    }

    /**
     * Puts the exact key into a JSON object under {@code field} (e.g. {@code key}) when it is valid UTF-8, else its
     * bytes in base64 under {@code field + "_base64"}.
     */
    public static void putJson(Map<String, Object> json, String field, byte[] key) {
        String text = utf8(key);
        if (text != null) {
            json.put(field, text);
        } else {
            json.put(field + "_base64", Base64.getEncoder().encodeToString(key));
        }
    }

    /** The key decoded as UTF-8, or null when it is not valid UTF-8. */
    public static String utf8(byte[] key) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean plain(byte[] key) {
        if (key.length == 0) {
            return false;
        }
        for (byte b : key) {
            int c = b & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '\'') {
                return false;
            }
        }
        return true;
    }
}
