package io.cutover.sql.state;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;

/** A source row that could not be migrated: recorded in the errors table and skipped. */
public record RowError(long runId, String step, String sourceKey, String kind, String message, String sourceRow,
                       LocalDateTime recordedAt) {
    /** The columns an error is stored in, in {@link #bind}'s order (the errors and the outstanding-rows tables). */
    static final String COLUMNS = "(run_id, step, source_key, kind, message, source_row, recorded_at) VALUES (?,?,?,?,?,?,?)";
    private static final int MAX_MESSAGE = 2000;

    /** Sets the parameters of an insert into {@link #COLUMNS}, the message cut to what the column holds. */
    void bind(PreparedStatement ps) throws SQLException {
        ps.setLong(1, runId);
        ps.setString(2, step);
        ps.setString(3, sourceKey);
        ps.setString(4, kind);
        ps.setString(5, message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message);
        ps.setString(6, sourceRow);
        ps.setObject(7, recordedAt);
    }
}
