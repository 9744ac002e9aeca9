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
 * <li>{@link #quote}: a key of printable characters without spaces, quotes or backslashes prints as it is
 *     ({@code session:42}, {@code sésame}); any other key is quoted as redis-cli quotes it: {@code "a\x00"},
 *     {@code "a\\x00"} for the four characters, {@code " lead"}, {@code "bin:\xff"}, {@code ""}. The two forms can't
 *     be confused: a bare key never holds a quote or a backslash.</li>
 * <li>{@link #cut}: the quoted key cut to a width for a table, with {@code …} and the key's length in bytes.</li>
 * <li>{@link #putJson}: the exact key for JSON, {@code key} when it is valid UTF-8, else {@code key_base64}.</li>
 * </ul>
 */
public final class KeyText {
    /** Default width of a key column in tables. */
    public static final int WIDTH = 60;

    private KeyText() {
    }

    /**
     * The key as redis-cli would print it, without quotes when nothing needs them. One difference: printable
     * non-ASCII characters of a key that is valid UTF-8 stay readable ({@code sésame}, not {@code s\xc3\xa9same});
     * a byte sequence is shown one way only either way.
     */
    public static String quote(byte[] key) {
        String text = utf8(key);
        if (text != null && !text.isEmpty() && text.codePoints().allMatch(KeyText::bare)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(key.length + 2).append('"');
        if (text != null) {
            text.codePoints().forEach(cp -> {
                if (cp < 0x80 || !readable(cp)) {
                    for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                        escape(sb, b & 0xff);
                    }
                } else {
                    sb.appendCodePoint(cp);
                }
            });
        } else {
            for (byte b : key) {
                escape(sb, b & 0xff);
            }
        }
        return sb.append('"').toString();
    }

    private static void escape(StringBuilder sb, int c) {
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

    /** A character that needs no quotes: printable ASCII but space, quotes and backslash; readable non-ASCII. */
    private static boolean bare(int cp) {
        return cp < 0x80 ? cp > 0x20 && cp < 0x7f && cp != '"' && cp != '\\' && cp != '\'' : readable(cp);
    }

    /** Non-ASCII that shows as itself: not a control, format (zero-width…), space, private or unassigned one. */
    private static boolean readable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE, Character.SURROGATE, Character.UNASSIGNED -> false;
            default -> true;
        };
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

    /**
     * The exact key back from its {@link #quote(byte[])} form (the inverse; anything not starting with a quote is
     * taken as the bare key).
     */
    public static byte[] unquote(String shown) {
        if (shown.length() < 2 || shown.charAt(0) != '"' || shown.charAt(shown.length() - 1) != '"') {
            return shown.getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(shown.length());
        for (int i = 1; i < shown.length() - 1; i++) {
            char c = shown.charAt(i);
            if (c >= 0x80) {
                int cp = shown.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
                continue;
            }
            if (c != '\\' || i + 1 >= shown.length() - 1) {
                out.write(c);
                continue;
            }
            char e = shown.charAt(++i);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'a' -> out.write(7);
                case 'b' -> out.write('\b');
                case 'x' -> {
                    out.write(Integer.parseInt(shown.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.write(e); // \\ and \"
            }
        }
        return out.toByteArray();
    }

    /** {@link #cut(byte[], int)} of a key given in its {@link #quote} form. */
    public static String cutQuoted(String shown, int width) {
        return shown.length() <= width ? shown : cut(unquote(shown), width);
    }

    /** {@link #putJson} of a key given in its {@link #quote} form. */
    public static void putJsonQuoted(Map<String, Object> json, String field, String shown) {
        putJson(json, field, unquote(shown));
    }
}
