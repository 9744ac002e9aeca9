package io.cutover.sql.state;

import java.time.LocalDateTime;

/** A source row that could not be migrated: recorded in the errors table and skipped. */
public record RowError(long runId, String step, String sourceKey, String kind, String message, String sourceRow,
                       LocalDateTime recordedAt) {
}
