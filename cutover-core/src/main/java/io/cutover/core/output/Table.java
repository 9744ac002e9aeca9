package io.cutover.core.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table with aligned columns; numbers are right-aligned. */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row; values are printed with {@link String#valueOf(Object)}. */
    public Table row(Object... values) {
        List<String> cells = new ArrayList<>(values.length);
        for (Object v : values) {
            cells.add(v == null ? "" : String.valueOf(v));
        }
        rows.add(cells);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** Renders the table, one line per row, ending in a newline. */
    public String render() {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < Math.min(r.size(), width.length); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        boolean[] numeric = new boolean[width.length];
        for (int i = 0; i < width.length; i++) {
            final int col = i;
            numeric[i] = !rows.isEmpty() && rows.stream().allMatch(r -> col >= r.size() || isNumber(r.get(col)));
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width, numeric);
        char[] dashes = new char[Arrays.stream(width).sum() + 2 * (width.length - 1)];
        Arrays.fill(dashes, '-');
        sb.append(dashes).append('\n');
        for (List<String> r : rows) {
            line(sb, r, width, numeric);
        }
        return sb.toString();
    }

    private static boolean isNumber(String c) {
        return c.isEmpty() || c.matches("-?[0-9][0-9.,]*( ?[a-zA-Z%/]+)?");
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            boolean right = numeric[i];
            String pad = " ".repeat(width[i] - c.length());
            l.append(right ? pad + c : c + (i == width.length - 1 ? "" : pad));
            if (i < width.length - 1) {
                l.append("  ");
            }
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    @Override
    public String toString() {
        return render();
    }
}
