package io.cutover.runbook.state;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The night itself, or a rehearsal whose durations feed later timelines. */
public enum RunKind {
    RUN, REHEARSAL;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
