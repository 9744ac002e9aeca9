package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.sql.db.Database;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a step's source rows of a window from PostgreSQL with {@code COPY (select) TO STDOUT}: raw text rows
 * (key, expressions, refs) in batches, nothing parsed. A null window reads every row.
 */
public final class CopyReader implements BatchPipeline.Reader<byte[]> {
    private final Database source;
    private final CompiledStep step;
    private final Window window;
    private final int batch;
    private final Shard shard;

    /** Reads only {@code shard}'s rows (null: all). */
    public CopyReader(Database source, CompiledStep step, Window window, int batch, Shard shard) {
        this.source = source;
        this.step = step;
        this.window = window;
        this.batch = batch;
        this.shard = shard;
    }

    @Override
    public void read(BatchPipeline.Sink<byte[]> sink) throws Exception {
        try (Connection c = source.connection()) {
            CopyOut out = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (" + step.sourceSelect(window, shard) + ") TO STDOUT");
            try {
                List<byte[]> rows = new ArrayList<>(batch);
                byte[] row;
                while ((row = out.readFromCopy()) != null) {
                    rows.add(row);
                    if (rows.size() == batch) {
                        sink.accept(rows);
                        rows = new ArrayList<>(batch);
                    }
                }
                if (!rows.isEmpty()) {
                    sink.accept(rows);
                }
            } finally {
                if (out.isActive()) {
                    out.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw source.failure("reading step " + step.name(), e);
        }
    }
}
