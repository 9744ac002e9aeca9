package io.cutover.sql.migrate;

import io.cutover.core.error.CutoverException;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A time window {@code [since, until)}: a row is in it when any of its step's {@code changed} columns is.
 * Times without an offset are taken as they are written (the source's own clock); with an offset they are
 * converted to UTC.
 */
public record Window(LocalDateTime since, LocalDateTime until) {
    public Window {
        if (since != null && until != null && !since.isBefore(until)) {
            throw CutoverException.usage("the window is empty: --since " + since + " is not before --until " + until);
        }
    }

    /** Parses {@code 2024-05-01}, {@code 2024-05-01T12:00[:00]}, {@code 2024-05-01 12:00:00} or with an offset. */
    public static LocalDateTime parseTime(String text, String what) {
        if (text == null) {
            return null;
        }
        String s = text.trim().replace(' ', 'T');
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
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
