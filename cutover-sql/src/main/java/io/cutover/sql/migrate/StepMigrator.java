package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.core.progress.Progress;
import io.cutover.sql.db.Database;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.StateStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Migrates one step's rows of one window through a {@link BatchPipeline}: the source is read on one thread
 * while {@code writers} threads translate and write whole batches, each batch one target transaction.
 * PostgreSQL → PostgreSQL steps that allow it ({@link CopyThrough}) move as COPY text; the rows that path
 * hands back are read again by key and go the JDBC way.
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

    /**
     * Counters of the rows part of a step; {@code retried}: outstanding rows read again by key; {@code millis}: how long
     * it took.
     */
    record Counts(long read, long inserted, long updated, List<RowError> errors, long errorCount, Set<String> retried,
                  long millis) {
    }

    Counts run(Window window, Set<String> keys, long runId, boolean dryRun, boolean stateExists, boolean cached) {
        boolean fresh = !dryRun && (!stateExists || !state.log().hasEntries(step.name()));
        return run(window, keys, null, runId, dryRun, stateExists, cached, fresh, keys == null);
    }

    /**
     * One shard of the step's window rows, for a run shared by several workers: the state exists, nothing is cached
     * (other workers write the parents) and the outstanding rows are retried afterwards by {@link #retry(long)}.
     * {@code fresh}: the step's log was empty when the run was made and this is the shard's first attempt.
     */
    Counts shard(Window window, Shard shard, long runId, boolean fresh) {
        return run(window, null, shard, runId, false, true, false, fresh, false);
    }

    /**
     * Reads the step's outstanding rows that no shard of run {@code runId} read again by key and writes them: the
     * part of a one-worker run that follows the window's rows, done once every shard is in.
     */
    Counts retry(Window window, long runId) {
        long started = System.nanoTime();
        Translator translator = new Translator(step, state, cache, true);
        OpenRows open = OpenRows.notOf(state.outstanding(), step.name(), runId);
        BatchWriter writer = new BatchWriter(step, state, window, runId, false, open);
        Tally tally = new Tally();
        BatchPipeline.Worker<SourceRow> jdbc = (c, rows) -> {
            Translator.Translation t = translator.translate(c, rows, runId, true);
            BatchWriter.Outcome o = writer.write(c, t.rows(), t.errors());
            tally.add(rows.size(), o.inserted(), o.updated(), o.errors());
            progress.add(rows.size());
        };
        Set<String> retried = retry(new RowReader(source, step, batch), open, jdbc);
        return tally.counts(retried, (System.nanoTime() - started) / 1_000_000);
    }

    private Counts run(Window window, Set<String> keys, Shard shard, long runId, boolean dryRun, boolean stateExists,
                       boolean cached, boolean fresh, boolean retry) {
        long started = System.nanoTime();
        if (cached) {
            cache.open(step.name(), fresh);
        }
        Translator translator = new Translator(step, state, cache, true);
        OpenRows open = OpenRows.load(state.outstanding(), step.name(), stateExists && !dryRun);
        BatchWriter writer = new BatchWriter(step, state, window, runId, fresh, open);
        Tally tally = new Tally();
        BatchPipeline.Worker<SourceRow> jdbc = (c, rows) -> {
            Translator.Translation t = translator.translate(c, rows, runId, stateExists);
            if (dryRun) {
                Map<String, String> known = stateExists
                        ? state.log().lookup(c, step.name(), t.rows().stream().map(TargetRow::key).toList()) : Map.of();
                tally.add(rows.size(), t.rows().size() - known.size(), known.size(), t.errors());
                c.rollback();
            } else {
                BatchWriter.Outcome o = writer.write(c, t.rows(), t.errors());
                remember(cached, o.written());
                tally.add(rows.size(), o.inserted(), o.updated(), o.errors());
            }
            progress.add(rows.size());
        };
        RowReader reader = new RowReader(source, step, batch, shard);
        CopyThrough copy = dryRun || keys != null ? null : CopyThrough.of(step, source, state.database());
        if (copy == null) {
            BatchPipeline.run("writing step " + step.name(), reader, window, keys, state.database(), writers, jdbc);
        } else {
            CopyThroughWriter fast = new CopyThroughWriter(step, state, cache, copy, window, runId, fresh, open);
            BatchPipeline.run("writing step " + step.name(), new CopyReader(source, step, window, batch, shard), state.database(), writers, (c, lines) -> {
                CopyThroughWriter.Outcome o = fast.write(c, lines, translator);
                remember(cached, o.written());
                int done = lines.size() - o.handedBack().size();
                tally.add(done, o.inserted(), o.updated(), o.errors());
                progress.add(done);
                if (!o.handedBack().isEmpty()) {
                    reader.read(window, new LinkedHashSet<>(o.handedBack()), rows -> jdbc.handle(c, rows));
                }
            });
        }
        Set<String> retried = retry ? retry(reader, open, jdbc) : Set.of();
        return tally.counts(retried, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Reads the step's outstanding rows the window did not bring (a row waiting for a parent that arrived since, or
     * one the target refused) again by key, whatever their time, and writes them the same way; rows whose source row
     * is gone leave the outstanding table.
     */
    private Set<String> retry(RowReader reader, OpenRows open, BatchPipeline.Worker<SourceRow> jdbc) {
        Set<String> wanted = open.notSeen();
        if (wanted.isEmpty()) {
            return wanted;
        }
        Set<String> found = java.util.concurrent.ConcurrentHashMap.newKeySet();
        BatchPipeline.run("retrying the outstanding rows of step " + step.name(), reader, null, wanted, state.database(), writers, (c, rows) -> {
            rows.forEach(r -> found.add(r.key()));
            jdbc.handle(c, rows);
        });
        Set<String> gone = new java.util.HashSet<>(wanted);
        gone.removeAll(found);
        if (!gone.isEmpty()) {
            try (java.sql.Connection c = state.database().connection()) {
                open.gone(c, gone);
            } catch (java.sql.SQLException e) {
                throw state.database().failure("settling the outstanding rows of step " + step.name(), e);
            }
        }
        return found;
    }

    private void remember(boolean cached, List<String[]> written) {
        if (cached) {
            cache.putAll(step.name(), written);
        }
    }

    /** The step's counters, added to by every writer thread. */
    private static final class Tally {
        private final AtomicLong read = new AtomicLong();
        private final AtomicLong inserted = new AtomicLong();
        private final AtomicLong updated = new AtomicLong();
        private final AtomicLong errorCount = new AtomicLong();
        private final List<RowError> first = new ArrayList<>();

        void add(long read, long inserted, long updated, List<RowError> errors) {
            this.read.addAndGet(read);
            this.inserted.addAndGet(inserted);
            this.updated.addAndGet(updated);
            errorCount.addAndGet(errors.size());
            synchronized (first) {
                for (RowError e : errors) {
                    if (first.size() < 5) {
                        first.add(e);
                    }
                }
            }
        }

        Counts counts(Set<String> retried, long millis) {
            return new Counts(read.get(), inserted.get(), updated.get(), List.copyOf(first), errorCount.get(), retried, millis);
        }
    }
}
