package io.cutover.sql.migrate;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.sql.db.Database;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Migrates one step's rows of one window: a reader thread streams source batches into a small queue while this
 * thread translates and writes them, so reading and writing overlap and memory holds at most a few batches.
 */
final class StepMigrator {
    private static final List<SourceRow> END = List.of();

    private final Database source;
    private final StateStore state;
    private final CompiledStep step;
    private final int batch;
    private final Progress progress;

    StepMigrator(Database source, StateStore state, CompiledStep step, int batch, Progress progress) {
        this.source = source;
        this.state = state;
        this.step = step;
        this.batch = batch;
        this.progress = progress;
    }

    /** Counters of the rows part of a step. */
    record Counts(long read, long inserted, long updated, List<RowError> errors, long errorCount) {
    }

    Counts run(Window window, Set<String> keys, long runId, boolean dryRun, boolean stateExists) {
        BlockingQueue<List<SourceRow>> queue = new ArrayBlockingQueue<>(2);
        AtomicReference<Exception> readFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                new RowReader(source, step, batch).read(window, keys, queue::put);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                readFailure.set(e);
            } finally {
                try {
                    queue.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "cutover-read-" + step.name());
        reader.setDaemon(true);
        reader.start();
        Translator translator = new Translator(step, state);
        BatchWriter writer = new BatchWriter(step, state, window, runId);
        long read = 0;
        long inserted = 0;
        long updated = 0;
        long errorCount = 0;
        List<RowError> first = new ArrayList<>();
        Database target = state.database();
        try (Connection c = target.connection()) {
            c.setAutoCommit(false);
            try {
                while (true) {
                    List<SourceRow> rows = queue.take();
                    if (rows == END) {
                        break;
                    }
                    read += rows.size();
                    Translator.Translation t = translator.translate(c, rows, runId, stateExists);
                    List<RowError> errors;
                    if (dryRun) {
                        var known = stateExists ? state.lookup(c, step.name(), t.rows().stream().map(TargetRow::key).toList())
                                : java.util.Map.<String, String>of();
                        updated += known.size();
                        inserted += t.rows().size() - known.size();
                        errors = t.errors();
                        c.rollback();
                    } else {
                        BatchWriter.Outcome o = writer.write(c, t.rows(), t.errors());
                        inserted += o.inserted();
                        updated += o.updated();
                        errors = o.errors();
                    }
                    errorCount += errors.size();
                    for (RowError e : errors) {
                        if (first.size() < 5) {
                            first.add(e);
                        }
                    }
                    progress.add(rows.size());
                }
            } finally {
                try {
                    c.rollback();
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is broken; the pool discards it
                }
            }
        } catch (SQLException e) {
            throw target.failure("writing step " + step.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted while migrating step " + step.name());
        } finally {
            reader.interrupt();
        }
        if (readFailure.get() != null) {
            Exception e = readFailure.get();
            throw e instanceof CutoverException ce ? ce : CutoverException.runtime("reading step " + step.name() + ": " + e, e);
        }
        return new Counts(read, inserted, updated, first, errorCount);
    }
}
