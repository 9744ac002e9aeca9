package io.cutover.runbook.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sizes a step's output reports (keys copied, rows read, bytes, errors), taken from the summaries Cutover
 * commands print and from plain "N rows"-style phrases a shell step may echo, so that two runs can be compared by
 * the size of what they moved and not only by how long they took. Two shapes are read:
 * <ul>
 *   <li>a table (a header line, a line of dashes, rows split on two or more spaces): with one number column, each
 *       row is a quantity named by its label and the header ({@code copied keys 20500}); with several, each
 *       number column's total is one, named by its header ({@code read 1201}, {@code errors 1}). Rates ({@code /s})
 *       are left out;</li>
 *   <li>phrases: a count followed by a unit ({@code 2301 keys}, {@code 1,500 source keys}, {@code 3 errors}), and a
 *       size in B/KB/MB/GB/TB as {@code bytes}.</li>
 * </ul>
 * A later figure of the same name replaces an earlier one (a live copy reports its initial copy, then its end).
 */
public final class Measures {
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*");
    private static final Pattern COLUMNS = Pattern.compile("\\s{2,}");
    private static final Pattern COUNT = Pattern.compile(
            "(?<![\\w.])(\\d[\\d,]*) ((?:source |target )?(?:keys|rows|bytes|errors|differences|mismatch(?:es)?|events))\\b(?!/s)");
    private static final Pattern SIZE = Pattern.compile("(?<![\\w.])(\\d+(?:\\.\\d+)?) (B|KB|MB|GB|TB)\\b(?!/s)");

    private Measures() {
    }

    public static Map<String, Long> of(List<String> lines) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i + 1 < lines.size() && isDashes(lines.get(i + 1)) && !line.isBlank()) {
                i = table(lines, i, m);
                continue;
            }
            phrases(line, m);
        }
        return m;
    }

    private static boolean isDashes(String s) {
        String t = s.strip();
        return t.length() >= 3 && t.chars().allMatch(c -> c == '-');
    }

    /** Reads the table whose header is at {@code at}; returns the index of its last row. */
    private static int table(List<String> lines, int at, Map<String, Long> m) {
        String[] header = COLUMNS.split(lines.get(at).strip());
        int i = at + 2;
        int numbers = -1;
        long[] totals = new long[header.length];
        boolean[] numeric = new boolean[header.length];
        java.util.Arrays.fill(numeric, true);
        Map<String, Long> perRow = new LinkedHashMap<>();
        for (; i < lines.size(); i++) {
            String[] cells = COLUMNS.split(lines.get(i).strip());
            if (lines.get(i).isBlank() || cells.length != header.length) {
                break;
            }
            for (int c = 1; c < cells.length; c++) {
                if (NUMBER.matcher(cells[c]).matches()) {
                    totals[c] += parse(cells[c]);
                } else {
                    numeric[c] = false;
                }
            }
            if (header.length == 2 && NUMBER.matcher(cells[1]).matches()) {
                perRow.put((cells[0].strip() + " " + header[1]).toLowerCase(Locale.ROOT), parse(cells[1]));
            }
        }
        if (header.length == 2) {
            m.putAll(perRow);
        } else {
            for (int c = 1; c < header.length; c++) {
                if (numeric[c] && i > at + 2 && !header[c].contains("/s")) {
                    m.put(header[c].toLowerCase(Locale.ROOT), totals[c]);
                }
            }
        }
        return i - 1;
    }

    private static void phrases(String line, Map<String, Long> m) {
        Matcher c = COUNT.matcher(line);
        while (c.find()) {
            String unit = c.group(2).replace("mismatch", "mismatches").replace("mismatcheses", "mismatches");
            m.put(unit, parse(c.group(1)));
        }
        Matcher s = SIZE.matcher(line);
        while (s.find()) {
            double v = Double.parseDouble(s.group(1));
            long scale = switch (s.group(2)) {
                case "KB" -> 1L << 10;
                case "MB" -> 1L << 20;
                case "GB" -> 1L << 30;
                case "TB" -> 1L << 40;
                default -> 1;
            };
            m.put("bytes", Math.round(v * scale));
        }
    }

    private static long parse(String n) {
        return Long.parseLong(n.replace(",", ""));
    }
}
