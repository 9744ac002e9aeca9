package io.cutover.runbook.state;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a whole run is. */
public enum RunStatus {
    RUNNING, PAUSED, DONE, FAILED, ABORTED, ROLLED_BACK;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code run} continues this run rather than starting a new one. */
    public boolean resumable() {
        return this == RUNNING || this == PAUSED || this == FAILED || this == ABORTED;
    }
}
