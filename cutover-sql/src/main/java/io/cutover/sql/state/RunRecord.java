package io.cutover.sql.state;

import java.time.LocalDateTime;

/** One migrate run as recorded in the target: its window, when it ran and how it ended. */
public record RunRecord(long id, LocalDateTime since, LocalDateTime until, String scope, LocalDateTime startedAt,
                        LocalDateTime finishedAt, String status, long rows, long errors) {
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String COMPLETED_WITH_ERRORS = "completed_with_errors";
    public static final String FAILED = "failed";

    /** Whether the window was fully processed (row errors included). */
    public boolean done() {
        return COMPLETED.equals(status) || COMPLETED_WITH_ERRORS.equals(status);
    }
}
