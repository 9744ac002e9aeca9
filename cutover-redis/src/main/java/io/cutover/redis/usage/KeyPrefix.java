package io.cutover.redis.usage;

import io.cutover.redis.select.KeyNames;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * A key prefix as inventory finds it ({@link KeyNames#prefixBytes}), kept as bytes so a binary prefix is reported
 * exactly; or one of the two rows that stand for no single prefix.
 */
public final class KeyPrefix {
    /** Keys without the delimiter. */
    public static final KeyPrefix NONE = new KeyPrefix(null, KeyNames.NO_PREFIX);
    /** Keys of prefixes past the row limit. */
    public static final KeyPrefix OTHER = new KeyPrefix(null, "(other prefixes)");

    private static final int SHOWN_BYTES = 60;

    private final byte[] bytes;
    private final String label;

    private KeyPrefix(byte[] bytes, String label) {
        this.bytes = bytes;
        this.label = label;
    }

    /** The prefix of {@code key}. */
    static KeyPrefix of(byte[] key, byte[] delimiter, int depth) {
        byte[] p = KeyNames.prefixBytes(key, delimiter, depth);
        return p == null ? NONE : new KeyPrefix(p, null);
    }

    /** The prefix's bytes, empty for {@link #NONE} and {@link #OTHER}. */
    public Optional<byte[]> bytes() {
        return Optional.ofNullable(bytes).map(byte[]::clone);
    }

    /** The prefix as UTF-8 text, when it is valid UTF-8 (JSON {@code prefix}); else empty (JSON {@code prefix_base64}). */
    public Optional<String> text() {
        if (bytes == null) {
            return Optional.of(label);
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The prefix in base64, for a prefix that is not valid UTF-8. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes == null ? new byte[0] : bytes);
    }

    /**
     * The prefix for a table: as is when it is plain printable text, else quoted the way redis-cli does
     * ({@code "a\x00:"}, {@code \\} for a backslash); cut to 60 bytes with {@code …} and its length.
     */
    public String display() {
        // a small quoting of its own until the shared key-quoting class exists; it should converge on that one
        if (bytes == null) {
            return label;
        }
        int shown = Math.min(bytes.length, SHOWN_BYTES);
        boolean plain = text().isPresent() && bytes[0] != ' ' && bytes[bytes.length - 1] != ' ';
        for (int i = 0; i < bytes.length && plain; i++) {
            int c = bytes[i] & 0xff;
            plain = c >= 0x20 && c != 0x7f && c != '"' && c != '\\';
        }
        String body;
        if (plain) {
            body = new String(bytes, 0, shown, StandardCharsets.UTF_8).replace("\uFFFD", "");
        } else {
            StringBuilder sb = new StringBuilder("\"");
            for (int i = 0; i < shown; i++) {
                int c = bytes[i] & 0xff;
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case 7 -> sb.append("\\a");
                    case '\b' -> sb.append("\\b");
                    default -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
                }
            }
            body = sb.append('"').toString();
        }
        return bytes.length > shown ? body + "…(" + bytes.length + " bytes)" : body;
    }

    /** Orders named prefixes by their bytes, then (no prefix), then (other prefixes). */
    int compareTo(KeyPrefix o) {
        if (bytes != null && o.bytes != null) {
            return Arrays.compareUnsigned(bytes, o.bytes);
        }
        return Integer.compare(rank(), o.rank());
    }

    private int rank() {
        return bytes != null ? 0 : this == NONE ? 1 : 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPrefix p && Arrays.equals(bytes, p.bytes) && java.util.Objects.equals(label, p.label);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + java.util.Objects.hashCode(label);
    }

    @Override
    public String toString() {
        return display();
    }
}
