package io.cutover.runbook.state;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where one step of a run is. */
public enum StepState {
    PENDING, WAITING, RUNNING, DONE, FAILED, SKIPPED, ROLLED_BACK,
    /** Stopped by an operator's abort while it ran. */
    ABORTED;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the step will not change any more in this run (unless rolled back). */
    public boolean finished() {
        return this == DONE || this == FAILED || this == SKIPPED || this == ROLLED_BACK || this == ABORTED;
    }
}
