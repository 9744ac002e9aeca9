package io.cutover.core.time;

import io.cutover.core.error.CutoverException;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human durations such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 6h}, {@code 2d}, {@code 1h30m}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {
    }

    /** Parses {@code text}; throws a usage error naming {@code what} when it is not a duration. */
    public static Duration parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw CutoverException.usage(what + ": empty duration (use e.g. 500ms, 30s, 10m, 6h, 2d)");
        }
        String s = text.trim().toLowerCase();
        if (s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase());
            } catch (RuntimeException e) {
                throw CutoverException.usage(what + ": not a duration: '" + text + "'");
            }
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double millis = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw CutoverException.usage(what + ": not a duration: '" + text + "' (use e.g. 500ms, 30s, 10m, 6h, 2d)");
            }
            double n = Double.parseDouble(m.group(1));
            millis += n * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            at = m.end();
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** Short human form: 850ms, 12.3s, 4m05s, 2h10m. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
