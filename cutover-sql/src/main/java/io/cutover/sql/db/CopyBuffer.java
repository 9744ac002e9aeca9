package io.cutover.sql.db;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * PostgreSQL {@code COPY … FROM STDIN} text-format data built directly as bytes (no String per value), sent in
 * one go inside the caller's transaction.
 */
public final class CopyBuffer {
    private byte[] bytes;
    private int size;

    public CopyBuffer(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    /** Appends raw, already escaped bytes (e.g. a field passed through from a source COPY). */
    public CopyBuffer raw(byte[] b, int from, int to) {
        ensure(to - from);
        System.arraycopy(b, from, bytes, size, to - from);
        size += to - from;
        return this;
    }

    public CopyBuffer raw(byte[] b) {
        return raw(b, 0, b.length);
    }

    public CopyBuffer tab() {
        return put((byte) '\t');
    }

    public CopyBuffer newline() {
        return put((byte) '\n');
    }

    public CopyBuffer number(long v) {
        if (v == Long.MIN_VALUE) {
            return text(Long.toString(v));
        }
        ensure(20);
        if (v < 0) {
            bytes[size++] = '-';
            v = -v;
        }
        int start = size;
        do {
            bytes[size++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int i = start, j = size - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return this;
    }

    /** Appends {@code s} escaped for the text format (NULL as {@code \N}). */
    public CopyBuffer text(String s) {
        if (s == null) {
            return raw(NULL);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(b.length * 2);
        for (byte ch : b) {
            switch (ch) {
                case '\\' -> put2('\\', '\\');
                case '\t' -> put2('\\', 't');
                case '\n' -> put2('\\', 'n');
                case '\r' -> put2('\\', 'r');
                default -> bytes[size++] = ch;
            }
        }
        return this;
    }

    /** Appends a Java value in the text format, the way {@link PgCopy} writes it. */
    public CopyBuffer value(Object v) {
        return v == null ? raw(NULL) : text(PgCopy.text(v));
    }

    public int size() {
        return size;
    }

    /** Copies the content into {@code out} (at least {@link #size()} long). */
    public void copyTo(byte[] out) {
        System.arraycopy(bytes, 0, out, 0, size);
    }

    /** Runs {@code COPY table (columns) FROM STDIN} with this data; returns the rows copied. */
    public long copyInto(Connection c, String table, String columns) throws SQLException {
        return copyIn(c, "COPY " + table + " (" + columns + ") FROM STDIN", bytes, size);
    }

    /** Runs a {@code COPY … FROM STDIN} statement with {@code size} bytes of {@code data}; returns the rows copied. */
    static long copyIn(Connection c, String sql, byte[] data, int size) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(data, 0, size);
            return in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private CopyBuffer put(byte b) {
        ensure(1);
        bytes[size++] = b;
        return this;
    }

    private void put2(char a, char b) {
        bytes[size++] = (byte) a;
        bytes[size++] = (byte) b;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    private static final byte[] NULL = {'\\', 'N'};
}
