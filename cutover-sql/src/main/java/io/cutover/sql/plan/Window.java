package io.cutover.sql.plan;

import io.cutover.core.error.CutoverException;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A time window {@code [since, until)}: a row is in it when any of its step's {@code changed} columns is.
 * Times are wall-clock times in the plan's {@code time_zone} (UTC unless set): one without an offset is taken as it
 * is written, one with an offset is converted to that zone, so both mean the same instant for every column type.
 */
public record Window(LocalDateTime since, LocalDateTime until) {
    public Window {
        if (since != null && until != null && !since.isBefore(until)) {
            throw CutoverException.usage("the window is empty: --since " + since + " is not before --until " + until);
        }
    }

    /** {@link #parseTime(String, String, ZoneId)} in UTC. */
    public static LocalDateTime parseTime(String text, String what) {
        return parseTime(text, what, ZoneOffset.UTC);
    }

    /**
     * Parses {@code 2024-05-01}, {@code 2024-05-01T12:00[:00]}, {@code 2024-05-01 12:00:00} or with an offset
     * ({@code Z}, {@code +09:00}), giving the wall-clock time in {@code zone}.
     */
    public static LocalDateTime parseTime(String text, String what, ZoneId zone) {
        if (text == null) {
            return null;
        }
        String s = text.trim().replace(' ', 'T');
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(s).atZoneSameInstant(zone).toLocalDateTime();
            }
            return LocalDateTime.parse(s);
        } catch (DateTimeParseException e) {
            throw CutoverException.usage(what + ": not a time: '" + text + "' (use e.g. 2024-05-01 or 2024-05-01T12:00:00)");
        }
    }

    @Override
    public String toString() {
        return "[" + (since == null ? "-∞" : since) + ", " + (until == null ? "∞" : until) + ")";
    }
}
