package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.sql.db.Database;
import io.cutover.sql.db.KeyList;
import io.cutover.sql.db.Values;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Streams a step's source rows in a window (and optionally only some keys) in batches, with a server-side
 * cursor so memory stays bounded whatever the table's size.
 */
public final class RowReader {
    /** Receives each batch; may throw to stop reading. */
    public interface BatchSink {
        void accept(List<SourceRow> batch) throws Exception;
    }

    private final Database source;
    private final CompiledStep step;
    private final int batch;
    private final Shard shard;

    public RowReader(Database source, CompiledStep step, int batch) {
        this(source, step, batch, null);
    }

    /** Reads only {@code shard}'s rows (null: all). */
    public RowReader(Database source, CompiledStep step, int batch, Shard shard) {
        this.source = source;
        this.step = step;
        this.batch = batch;
        this.shard = shard;
    }

    /** Reads rows changed in {@code window} (null: all rows), restricted to {@code keys} when not null. */
    public void read(Window window, Set<String> keys, BatchSink sink) throws Exception {
        int width = step.sourceWidth();
        try (Connection c = source.connection()) {
            streaming(c, () -> readIn(c, window, keys, width, sink));
        }
    }

    private void readIn(Connection c, Window window, Set<String> keys, int width, BatchSink sink) throws Exception {
        try {
            List<List<String>> keyChunks = new ArrayList<>();
            if (keys == null) {
                keyChunks.add(null);
            } else {
                List<String> all = new ArrayList<>(keys);
                for (int i = 0; i < all.size(); i += 1000) {
                    keyChunks.add(all.subList(i, Math.min(all.size(), i + 1000)));
                }
            }
            List<SourceRow> rows = new ArrayList<>(batch);
            for (List<String> chunk : keyChunks) {
                boolean windowed = window != null && (window.since() != null || window.until() != null);
                KeyList in = chunk == null ? null : KeyList.of(source.dialect(), chunk.size(), chunk.size());
                String sql = step.sourceSelect(windowed, in, shard);
                try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                    ps.setFetchSize(batch);
                    int p = 1;
                    if (windowed) {
                        for (int i = 0; i < step.step().changed().size(); i++) {
                            ps.setObject(p++, window.since() == null ? java.time.LocalDateTime.of(1, 1, 1, 0, 0) : window.since());
                            ps.setObject(p++, window.until() == null ? java.time.LocalDateTime.of(9999, 1, 1, 0, 0) : window.until());
                        }
                    }
                    if (chunk != null) {
                        in.bind(c, ps, p, chunk, step.sourceKeyType());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Object[] values = new Object[width];
                            for (int i = 0; i < width; i++) {
                                values[i] = step.sourceColumn(i).read(rs, i + 2);
                            }
                            rows.add(new SourceRow(Values.key(rs.getObject(1)), values));
                            if (rows.size() == batch) {
                                sink.accept(rows);
                                rows = new ArrayList<>(batch);
                            }
                        }
                    }
                }
            }
            if (!rows.isEmpty()) {
                sink.accept(rows);
            }
        } catch (SQLException e) {
            throw source.failure("reading step " + step.name(), e);
        }
    }

    /** Receives each batch of keys; may throw to stop reading. */
    public interface KeySink {
        void accept(List<String> keys);
    }

    /**
     * Reads the key of every row (of the shard, when this reader has one) in batches, and nothing else of the rows;
     * rows whose key is NULL are left out.
     */
    public void readKeys(KeySink sink) {
        String sql = "SELECT cutover_key FROM (" + step.sourceSelect(false, null, shard) + ") q";
        try (Connection c = source.connection()) {
            streaming(c, () -> {
                try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                    ps.setFetchSize(batch);
                    try (ResultSet rs = ps.executeQuery()) {
                        List<String> keys = new ArrayList<>(batch);
                        while (rs.next()) {
                            String key = Values.key(rs.getObject(1));
                            if (key != null) {
                                keys.add(key);
                            }
                            if (keys.size() == batch) {
                                sink.accept(keys);
                                keys = new ArrayList<>(batch);
                            }
                        }
                        if (!keys.isEmpty()) {
                            sink.accept(keys);
                        }
                    }
                }
            });
        } catch (SQLException e) {
            throw source.failure("reading the keys of step " + step.name(), e);
        }
    }

    /** Work on the source connection; {@code E} is what its sink may throw besides SQL failures. */
    @FunctionalInterface
    private interface Streaming<E extends Exception> {
        void run() throws SQLException, E;
    }

    /**
     * Runs {@code work} on {@code c} inside a transaction that is rolled back after: PostgreSQL only streams with a
     * cursor inside a transaction, and a reader changes nothing.
     */
    private static <E extends Exception> void streaming(Connection c, Streaming<E> work) throws SQLException, E {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
        } finally {
            try {
                c.rollback();
                c.setAutoCommit(auto);
            } catch (SQLException ignored) {
                // the connection is going back to the pool or is already broken
            }
        }
    }

    /** Counts the rows changed in {@code window}. */
    public long count(Window window) {
        String sql = "SELECT COUNT(*) FROM (" + step.sourceSelect(window != null, null, shard) + ") q";
        try (Connection c = source.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (window != null) {
                int p = 1;
                for (int i = 0; i < step.step().changed().size(); i++) {
                    ps.setObject(p++, window.since() == null ? java.time.LocalDateTime.of(1, 1, 1, 0, 0) : window.since());
                    ps.setObject(p++, window.until() == null ? java.time.LocalDateTime.of(9999, 1, 1, 0, 0) : window.until());
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw source.failure("counting step " + step.name(), e);
        }
    }
}
