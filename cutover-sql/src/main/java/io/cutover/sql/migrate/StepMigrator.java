package io.cutover.sql.migrate;

import io.cutover.core.progress.Progress;
import io.cutover.sql.db.Database;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Migrates one step's rows of one window through a {@link BatchPipeline}: the source is read on one thread
 * while {@code writers} threads translate and write whole batches, each batch one target transaction.
 */
final class StepMigrator {
    private final Database source;
    private final StateStore state;
    private final CompiledStep step;
    private final int batch;
    private final int writers;
    private final Progress progress;
    private final RunCache cache;

    StepMigrator(Database source, StateStore state, CompiledStep step, int batch, int writers, Progress progress, RunCache cache) {
        this.source = source;
        this.state = state;
        this.step = step;
        this.batch = batch;
        this.writers = writers;
        this.progress = progress;
        this.cache = cache;
    }

    /** Counters of the rows part of a step. */
    record Counts(long read, long inserted, long updated, List<RowError> errors, long errorCount) {
    }

    Counts run(Window window, Set<String> keys, long runId, boolean dryRun, boolean stateExists, boolean cached) {
        boolean fresh = !dryRun && (!stateExists || !state.hasEntries(step.name()));
        if (cached) {
            cache.open(step.name(), fresh);
        }
        Translator translator = new Translator(step, state, cache);
        BatchWriter writer = new BatchWriter(step, state, window, runId, fresh);
        AtomicLong read = new AtomicLong();
        AtomicLong inserted = new AtomicLong();
        AtomicLong updated = new AtomicLong();
        AtomicLong errorCount = new AtomicLong();
        List<RowError> first = new ArrayList<>();
        BatchPipeline.run(new RowReader(source, step, batch), window, keys, state.database(), writers, (c, rows) -> {
            read.addAndGet(rows.size());
            Translator.Translation t = translator.translate(c, rows, runId, stateExists);
            List<RowError> errors;
            if (dryRun) {
                Map<String, String> known = stateExists
                        ? state.lookup(c, step.name(), t.rows().stream().map(TargetRow::key).toList()) : Map.of();
                updated.addAndGet(known.size());
                inserted.addAndGet(t.rows().size() - known.size());
                errors = t.errors();
                c.rollback();
            } else {
                BatchWriter.Outcome o = writer.write(c, t.rows(), t.errors());
                inserted.addAndGet(o.inserted());
                updated.addAndGet(o.updated());
                errors = o.errors();
                if (cached) {
                    for (String[] w : o.written()) {
                        cache.put(step.name(), w[0], w[1]);
                    }
                }
            }
            errorCount.addAndGet(errors.size());
            synchronized (first) {
                for (RowError e : errors) {
                    if (first.size() < 5) {
                        first.add(e);
                    }
                }
            }
            progress.add(rows.size());
        });
        return new Counts(read.get(), inserted.get(), updated.get(), first, errorCount.get());
    }
}
