package io.cutover.sql.db;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** One row of PostgreSQL {@code COPY … TO STDOUT} text format, split into its tab-separated fields. */
public final class CopyLine {
    private final byte[] line;
    private final int[] starts;
    private final int[] ends;

    private CopyLine(byte[] line, int[] starts, int[] ends) {
        this.line = line;
        this.starts = starts;
        this.ends = ends;
    }

    /** Splits {@code line} (with or without its newline) into {@code fields} fields; fails on another count. */
    public static CopyLine split(byte[] line, int fields) {
        int[] starts = new int[fields];
        int[] ends = new int[fields];
        int end = line.length;
        if (end > 0 && line[end - 1] == '\n') {
            end--;
        }
        int f = 0;
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (line[i] == '\t') {
                if (f == fields - 1) {
                    throw new IllegalStateException("COPY row with more than " + fields + " fields");
                }
                starts[f] = start;
                ends[f++] = i;
                start = i + 1;
            }
        }
        if (f != fields - 1) {
            throw new IllegalStateException("COPY row with " + (f + 1) + " fields, expected " + fields);
        }
        starts[f] = start;
        ends[f] = end;
        return new CopyLine(line, starts, ends);
    }

    public byte[] bytes() {
        return line;
    }

    public int start(int field) {
        return starts[field];
    }

    public int end(int field) {
        return ends[field];
    }

    public boolean isNull(int field) {
        return ends[field] - starts[field] == 2 && line[starts[field]] == '\\' && line[starts[field] + 1] == 'N';
    }

    /** The field's value as text (escapes undone), null for NULL. */
    public String text(int field) {
        if (isNull(field)) {
            return null;
        }
        int from = starts[field];
        int to = ends[field];
        boolean plain = true;
        for (int i = from; i < to && plain; i++) {
            plain = line[i] != '\\';
        }
        if (plain) {
            return new String(line, from, to - from, StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = line[i];
            if (b != '\\' || i + 1 == to) {
                out.write(b);
                continue;
            }
            byte e = line[++i];
            switch (e) {
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0b);
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && i + 1 < to && line[i + 1] >= '0' && line[i + 1] <= '7'; k++) {
                            v = v * 8 + (line[++i] - '0');
                        }
                        out.write(v);
                    } else if (e == 'x' && i + 1 < to && hex(line[i + 1]) >= 0) {
                        int v = hex(line[++i]);
                        if (i + 1 < to && hex(line[i + 1]) >= 0) {
                            v = v * 16 + hex(line[++i]);
                        }
                        out.write(v);
                    } else {
                        out.write(e);
                    }
                }
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
