package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.sql.db.Database;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.Step;
import io.cutover.sql.plan.StepOrder;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.RunRecord;
import io.cutover.sql.state.StateStore;
import io.cutover.sql.state.StepRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one window: deletions first (children before parents), then the steps in dependency order, independent
 * steps in parallel. The run and each step's result are recorded in the target.
 */
public final class Migrator {
    /** At most this many source → target keys are kept in memory per run for translating children's refs. */
    public static final long CACHE_LIMIT = 1_500_000;

    private final Plan plan;
    private final Database source;
    private final StateStore state;
    private final Map<String, CompiledStep> compiled;
    private final Progress progress;

    public Migrator(Plan plan, Database source, StateStore state, Map<String, CompiledStep> compiled, Progress progress) {
        this.plan = plan;
        this.source = source;
        this.state = state;
        this.compiled = compiled;
        this.progress = progress;
    }

    public MigrateResult run(Window window, MigrateRequest req) {
        long started = System.nanoTime();
        StepOrder order = StepOrder.of(plan);
        List<CompiledStep> ordered = order.ordered().stream().map(s -> compiled.get(s.name())).toList();
        Subset subset = req.only().isEmpty() ? null : Subset.resolve(source, ordered, req.only());
        boolean stateExists = state.exists();
        long runId = 0;
        if (!req.dryRun()) {
            state.ensure(ordered.stream().map(CompiledStep::keys).toList());
            stateExists = true;
            runId = state.history().startRun(window, subset == null ? null : describe(req.only()));
        }
        RunCache cache = new RunCache(CACHE_LIMIT);
        Map<String, DeletionApplier.Outcome> deletions = new HashMap<>();
        Map<String, StepResult> results = new HashMap<>();
        String status = RunRecord.FAILED;
        try {
            if (plan.deletions() != null) {
                DeletionApplier applier = new DeletionApplier(source, state, plan.deletions(), runId, req.batch());
                for (Step s : order.reversed()) {
                    if (subset == null || subset.includes(s.name())) {
                        deletions.put(s.name(), applier.apply(compiled.get(s.name()), window,
                                subset == null ? null : subset.keys(s.name()), req.dryRun() || !stateExists));
                    }
                }
            }
            runSteps(order, window, req, subset, runId, stateExists, deletions, results, cache);
            long errors = results.values().stream().mapToLong(StepResult::errors).sum();
            status = errors == 0 ? RunRecord.COMPLETED : RunRecord.COMPLETED_WITH_ERRORS;
        } finally {
            if (!req.dryRun()) {
                state.history().finishRun(runId, status,
                        results.values().stream().mapToLong(r -> r.inserted() + r.updated()).sum(),
                        results.values().stream().mapToLong(StepResult::errors).sum());
            }
        }
        List<StepResult> inOrder = new ArrayList<>();
        for (Step s : order.ordered()) {
            if (results.containsKey(s.name())) {
                inOrder.add(results.get(s.name()));
            }
        }
        return new MigrateResult(runId, window, req.dryRun(), inOrder, (System.nanoTime() - started) / 1_000_000);
    }

    private void runSteps(StepOrder order, Window window, MigrateRequest req, Subset subset, long runId, boolean stateExists,
                          Map<String, DeletionApplier.Outcome> deletions, Map<String, StepResult> results, RunCache cache) {
        ExecutorService pool = Executors.newFixedThreadPool(req.parallel(), r -> {
            Thread t = new Thread(r, "cutover-step");
            t.setDaemon(true);
            return t;
        });
        // a step's rows are written once its parents' are; its deferred refs are filled once the steps they name are done too
        Map<String, CompletableFuture<StepMigrator.Counts>> written = new HashMap<>();
        List<CompletableFuture<Void>> finished = new ArrayList<>();
        try {
            for (Step s : order.ordered()) {
                CompletableFuture<?>[] deps = order.dependencies(s).stream().map(written::get).toArray(CompletableFuture[]::new);
                written.put(s.name(), CompletableFuture.allOf(deps).thenApplyAsync(ignored -> subset != null && !subset.includes(s.name())
                        ? null : runStep(compiled.get(s.name()), window, req, subset, runId, stateExists, cache,
                        !order.childrenOf(s.name()).isEmpty()), pool));
            }
            for (Step s : order.ordered()) {
                List<CompletableFuture<?>> waits = new ArrayList<>();
                waits.add(written.get(s.name()));
                for (String ref : order.deferred(s.name()).keySet()) {
                    waits.add(written.get(s.refs().get(ref).step()));
                }
                finished.add(CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenRunAsync(() -> {
                    StepMigrator.Counts counts = written.get(s.name()).join();
                    if (counts == null) {
                        return;
                    }
                    StepResult r = finish(compiled.get(s.name()), counts, window, req, subset, runId, cache, deletions.get(s.name()));
                    synchronized (results) {
                        results.put(s.name(), r);
                    }
                }, pool));
            }
            CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CutoverException ce) {
                throw ce;
            }
            throw CutoverException.runtime("migration failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private StepMigrator.Counts runStep(CompiledStep step, Window window, MigrateRequest req, Subset subset, long runId,
                                        boolean stateExists, RunCache cache, boolean hasChildren) {
        Set<String> keys = subset == null ? null : subset.keys(step.name());
        return keys != null && keys.isEmpty()
                ? new StepMigrator.Counts(0, 0, 0, List.of(), 0, Set.of(), 0)
                : new StepMigrator(source, state, step, req.batch(), req.writers(), progress, cache)
                        .run(window, keys, runId, req.dryRun(), stateExists, hasChildren && !req.dryRun());
    }

    /** Fills the step's deferred refs (when it has any) and records its result. */
    private StepResult finish(CompiledStep step, StepMigrator.Counts written, Window window, MigrateRequest req, Subset subset,
                              long runId, RunCache cache, DeletionApplier.Outcome deleted) {
        long started = System.nanoTime();
        StepMigrator.Counts counts = written;
        if (step.hasDeferredRefs() && !req.dryRun()) {
            List<RowError> late = new DeferredRefs(source, state, step, req.batch(), cache)
                    .fill(window, subset == null ? null : subset.keys(step.name()), written.retried(), runId);
            List<RowError> all = new ArrayList<>(written.errors());
            all.addAll(late);
            counts = new StepMigrator.Counts(written.read(), written.inserted(), written.updated(), all,
                    written.errorCount() + late.size(), written.retried(), written.millis());
        }
        long ms = counts.millis() + (System.nanoTime() - started) / 1_000_000;
        List<RowError> first = new ArrayList<>();
        long deletedRows = 0;
        long errors = counts.errorCount();
        if (deleted != null) {
            deletedRows = deleted.deleted();
            errors += deleted.errors().size();
            deleted.errors().stream().limit(5).forEach(first::add);
        }
        counts.errors().stream().limit(5 - first.size()).forEach(first::add);
        StepResult r = new StepResult(step.name(), counts.read(), counts.inserted(), counts.updated(), deletedRows, errors, ms, first);
        if (!req.dryRun()) {
            state.history().recordStep(new StepRecord(runId, r.step(), r.read(), r.inserted(), r.updated(), r.deleted(), r.errors(), ms));
        }
        return r;
    }

    private static String describe(Map<String, Set<String>> only) {
        StringBuilder sb = new StringBuilder();
        only.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(String.join(",", v)));
        return sb.length() > 1900 ? sb.substring(0, 1900) + "…" : sb.toString();
    }
}
