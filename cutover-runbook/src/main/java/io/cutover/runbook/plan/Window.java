package io.cutover.runbook.plan;

import java.time.Duration;
import java.time.OffsetDateTime;

/** The maintenance window, with its offset. */
public record Window(OffsetDateTime start, OffsetDateTime end) {
    public Duration length() {
        return Duration.between(start, end);
    }
}
