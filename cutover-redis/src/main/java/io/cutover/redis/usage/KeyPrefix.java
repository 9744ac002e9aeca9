package io.cutover.redis.usage;

import io.cutover.redis.keys.KeyText;
import io.cutover.redis.select.KeyNames;

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
        return bytes == null ? Optional.of(label) : Optional.ofNullable(KeyText.utf8(bytes));
    }

    /** The prefix in base64, for a prefix that is not valid UTF-8. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes == null ? new byte[0] : bytes);
    }

    /** The prefix for a table, quoted and cut as every key name is ({@link KeyText#cut(byte[])}). */
    public String display() {
        return bytes == null ? label : KeyText.cut(bytes);
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
