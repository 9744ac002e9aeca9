package io.cutover.sql.db;


import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * PostgreSQL {@code COPY … FROM STDIN (FORMAT binary)} data for tables whose types this program chose (text,
 * bigint, timestamp): the server stores the values without parsing them, cheaper than the text format.
 */
public final class BinaryCopy {
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final LocalDateTime POSTGRES_EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);

    private byte[] bytes;
    private int size;

    public BinaryCopy(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
        System.arraycopy(HEADER, 0, bytes, 0, HEADER.length);
        size = HEADER.length;
    }

    /** Starts a row of {@code fields} values. */
    public BinaryCopy row(int fields) {
        ensure(2);
        bytes[size++] = (byte) (fields >> 8);
        bytes[size++] = (byte) fields;
        return this;
    }

    /** A text (varchar) value, or NULL. */
    public BinaryCopy text(String s) {
        if (s == null) {
            return nul();
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int32(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** A bigint value. */
    public BinaryCopy int8(long v) {
        int32(8);
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[size++] = (byte) (v >> shift);
        }
        return this;
    }

    /** A timestamp (without time zone) value, or NULL. */
    public BinaryCopy timestamp(LocalDateTime t) {
        return timestamp(micros(t));
    }

    /** A timestamp given as {@link #micros} returned it (the same value in many rows is converted once). */
    public BinaryCopy timestamp(Long micros) {
        return micros == null ? nul() : int8(micros);
    }

    /** A timestamp as the binary format holds it, microseconds since 2000-01-01, or null. */
    public static Long micros(LocalDateTime t) {
        return t == null ? null : ChronoUnit.MICROS.between(POSTGRES_EPOCH, t);
    }

    public BinaryCopy nul() {
        return int32(-1);
    }

    /** Ends the data and runs {@code COPY table (columns) FROM STDIN (FORMAT binary)}; returns the rows copied. */
    public long copyInto(Connection c, String table, String columns) throws SQLException {
        ensure(2);
        bytes[size++] = (byte) 0xff;
        bytes[size++] = (byte) 0xff;
        return CopyBuffer.copyIn(c, "COPY " + table + " (" + columns + ") FROM STDIN (FORMAT binary)", bytes, size);
    }

    private BinaryCopy int32(int v) {
        ensure(4);
        bytes[size++] = (byte) (v >> 24);
        bytes[size++] = (byte) (v >> 16);
        bytes[size++] = (byte) (v >> 8);
        bytes[size++] = (byte) v;
        return this;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
