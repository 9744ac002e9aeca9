package io.cutover.runbook.state;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** An operator's decision about a run, from the page or another terminal. {@code step} is null for run-wide ones. */
public record Decision(Action action, String step, String by) {
    /** What the operator decided. */
    public enum Action {
        CONFIRM, DONE, FAILED, PAUSE, RESUME, ABORT, ROLLBACK;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
