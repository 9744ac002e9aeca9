package io.cutover.sql.migrate;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.sql.db.Database;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.Step;
import io.cutover.sql.plan.StepOrder;
import io.cutover.sql.plan.Window;
import io.cutover.sql.state.RowError;
import io.cutover.sql.state.RunRecord;
import io.cutover.sql.state.SharedRuns;
import io.cutover.sql.state.StateStore;
import io.cutover.sql.state.StepRecord;
import io.cutover.sql.state.WorkUnit;
import io.cutover.sql.state.WorkUnit.Kind;
import io.cutover.sql.state.WorkUnit.Status;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker's part in a window shared by several: the first worker to arrive makes the run and its units (keyed by
 * the window, so N copies of one command join one run); every worker then takes units whose prerequisites are done,
 * under a lease, until every unit is, and the last one ends the run. The units and their order are those of a
 * one-worker run ({@link Migrator}): each step's deletions (children first), then per step its window rows in shards
 * once the steps it refers to are in everywhere, the retry of its outstanding rows, and its deferred refs once the
 * steps they name are in. So the target and the migration log end as one worker would leave them.
 */
public final class SharedRun {
    private final Plan plan;
    private final Database source;
    private final StateStore state;
    private final Map<String, CompiledStep> compiled;
    private final Progress progress;
    private final Workers workers;
    private final MigrateRequest req;
    private final StepOrder order;
    private final List<String> stepNames;
    private final String me;

    public SharedRun(Plan plan, Database source, StateStore state, Map<String, CompiledStep> compiled, Progress progress,
                     Workers workers, MigrateRequest req) {
        this.plan = plan;
        this.source = source;
        this.state = state;
        this.compiled = compiled;
        this.progress = progress;
        this.workers = workers;
        this.req = req;
        this.order = StepOrder.of(plan);
        this.stepNames = order.ordered().stream().map(Step::name).toList();
        this.me = workers.index() + "@" + host() + "/" + ProcessHandle.current().pid();
    }

    /** What units did: rows read, inserted, updated, deleted, failed. */
    private record Counts(long read, long inserted, long updated, long deleted, long errors) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0);

        Counts plus(Counts o) {
            return new Counts(read + o.read, inserted + o.inserted, updated + o.updated, deleted + o.deleted, errors + o.errors);
        }
    }

    public WorkerResult run(Window window) {
        long started = System.nanoTime();
        requireRangeKeys();
        ensureState();
        SharedRuns shared = state.shared();
        String key = "window " + window.since() + " " + window.until();
        boolean created = false;
        SharedRuns.Registered registered = shared.find(key).orElse(null);
        if (registered == null) {
            created = create(key, window);
            registered = shared.find(key).orElseThrow(() -> CutoverException.runtime("the shared run of window " + window
                    + " could neither be made nor found"));
        }
        long runId = registered.runId();
        // the run's own split, which a worker started with other options must follow too
        Shard.ShardBy by = Shard.ShardBy.valueOf(registered.shardBy().toUpperCase(java.util.Locale.ROOT));
        RunRecord run = state.history().run(runId);
        if (run != null && !RunRecord.RUNNING.equals(run.status())) {
            return new WorkerResult(workers.index(), workers.total(), false, true, List.of(),
                    new MigrateResult(runId, window, false, List.of(), (System.nanoTime() - started) / 1_000_000));
        }
        Map<String, Counts> mine = new LinkedHashMap<>();
        List<RowError> firstErrors = new ArrayList<>();
        List<String> done = new ArrayList<>();
        RunCache cache = new RunCache(Migrator.CACHE_LIMIT);
        while (true) {
            List<WorkUnit> units = shared.units(runId);
            if (units.stream().allMatch(u -> u.status() == Status.DONE)) {
                finish(runId, units);
                break;
            }
            WorkUnit next = pick(units);
            if (next == null) {
                sleep();
                continue;
            }
            if (shared.claim(next, me, workers.lease().toMillis())) {
                mine.merge(next.step(), work(next, by, window, runId, cache, firstErrors), Counts::plus);
                done.add(next.label());
            }
        }
        List<StepResult> steps = new ArrayList<>();
        for (String s : stepNames) {
            Counts c = mine.get(s);
            if (c != null) {
                steps.add(new StepResult(s, c.read(), c.inserted(), c.updated(), c.deleted(), c.errors(), 0,
                        firstErrors.stream().filter(e -> e.step().equals(s)).limit(5).toList()));
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        return new WorkerResult(workers.index(), workers.total(), created, done.isEmpty(), List.copyOf(done),
                new MigrateResult(runId, window, false, steps, ms));
    }

    /** Range shards need integer keys: a usage error, before anything is written, naming the first step without. */
    private void requireRangeKeys() {
        if (workers.shardBy() != Shard.ShardBy.RANGE) {
            return;
        }
        for (String s : stepNames) {
            CompiledStep cs = compiled.get(s);
            boolean integer = switch (cs.sourceKeyType()) {
                case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT -> true;
                default -> false;
            };
            if (!integer || cs.step().compositeKey()) {
                throw CutoverException.usage("--shard-by range: step '" + s + "' has key " + cs.step().key() + " of type "
                        + cs.sourceKeyTypeName() + ", not an integer; use --shard-by hash (the default)");
            }
        }
    }

    /** Creates the state tables; workers starting together may race on them, so a failed attempt is tried again. */
    private void ensureState() {
        List<io.cutover.sql.state.StepKeys> keys = stepNames.stream().map(s -> compiled.get(s).keys()).toList();
        for (int attempt = 1; ; attempt++) {
            try {
                state.ensure(keys);
                return;
            } catch (CutoverException e) {
                if (attempt == 5) {
                    throw e;
                }
                pause(100L * attempt + (long) (Math.random() * 100));
            }
        }
    }

    /** Makes the run and its units; false when another worker registered the window first. */
    private boolean create(String key, Window window) {
        List<WorkUnit> units = plannedUnits();
        Database target = state.database();
        try (Connection c = target.connection()) {
            c.setAutoCommit(false);
            try {
                long runId = state.history().startRun(c, window, null);
                state.shared().register(c, key, runId, workers.total(), workers.shardBy().name().toLowerCase(java.util.Locale.ROOT), units);
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (state.shared().find(key).isPresent()) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw target.failure("making the shared run", e);
        }
    }

    private List<WorkUnit> plannedUnits() {
        List<WorkUnit> out = new ArrayList<>();
        int n = workers.total();
        for (String s : stepNames) {
            CompiledStep cs = compiled.get(s);
            boolean fresh = !state.log().hasEntries(s);
            if (plan.deletions() != null) {
                out.add(WorkUnit.waiting(0, s, Kind.DELETE, 0, 1, null, null, false));
            }
            long[] range = workers.shardBy() == Shard.ShardBy.RANGE ? keyRange(cs) : null;
            for (int i = 0; i < n; i++) {
                Shard sh = range == null ? new Shard(Shard.ShardBy.HASH, i, n, null, null) : Shard.range(i, n, range[0], range[1]);
                out.add(WorkUnit.waiting(0, s, Kind.ROWS, i, n, sh.from(), sh.to(), fresh));
            }
            out.add(WorkUnit.waiting(0, s, Kind.RETRY, 0, 1, null, null, false));
            if (cs.hasDeferredRefs()) {
                out.add(WorkUnit.waiting(0, s, Kind.FILL, 0, 1, null, null, false));
            }
        }
        return out;
    }

    /** The smallest and largest source key of the step (whole table; {0, 0} when empty). */
    private long[] keyRange(CompiledStep cs) {
        String sql = "SELECT MIN(cutover_key), MAX(cutover_key) FROM (" + cs.sourceSelect((Window) null) + ") q";
        try (Connection c = source.connection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        } catch (SQLException e) {
            throw source.failure("reading the key range of step " + cs.name(), e);
        }
    }

    /** The first unit this worker may take now; a worker starts with the shard of its own index. */
    private WorkUnit pick(List<WorkUnit> units) {
        long now = System.currentTimeMillis();
        return units.stream()
                .filter(u -> u.claimable(now) && ready(u, units))
                .min(Comparator.<WorkUnit>comparingInt(u -> stepNames.indexOf(u.step()))
                        .thenComparing(WorkUnit::kind)
                        .thenComparingInt(u -> Math.floorMod(u.shard() - workers.index(), u.shards())))
                .orElse(null);
    }

    /** Whether every unit {@code u} waits for is done. */
    private boolean ready(WorkUnit u, List<WorkUnit> units) {
        Step step = plan.step(u.step()).orElseThrow();
        return switch (u.kind()) {
            // deletions go children first, all of them before any step's rows, as in a one-worker run
            case DELETE -> {
                List<String> reversed = order.reversed().stream().map(Step::name).toList();
                int at = reversed.indexOf(u.step());
                yield at == 0 || done(units, reversed.get(at - 1), Kind.DELETE);
            }
            case ROWS -> units.stream().filter(x -> x.kind() == Kind.DELETE).allMatch(x -> x.status() == Status.DONE)
                    && order.dependencies(step).stream().allMatch(d -> done(units, d, Kind.RETRY));
            case RETRY -> done(units, u.step(), Kind.ROWS);
            case FILL -> done(units, u.step(), Kind.RETRY) && order.deferred(u.step()).keySet().stream()
                    .allMatch(ref -> done(units, step.refs().get(ref).step(), Kind.RETRY));
        };
    }

    private static boolean done(List<WorkUnit> units, String step, Kind kind) {
        return units.stream().filter(x -> x.step().equals(step) && x.kind() == kind).allMatch(x -> x.status() == Status.DONE);
    }

    /** Does {@code u} under a renewed lease and marks it done. */
    private Counts work(WorkUnit u, Shard.ShardBy by, Window window, long runId, RunCache cache, List<RowError> firstErrors) {
        SharedRuns shared = state.shared();
        long leaseMs = workers.lease().toMillis();
        AtomicBoolean lost = new AtomicBoolean();
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutover-lease");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleAtFixedRate(() -> {
            try {
                if (!shared.renew(u, me, leaseMs)) {
                    lost.set(true);
                }
            } catch (RuntimeException e) {
                // a missed renewal is retried at the next tick; the lease is three ticks long
            }
        }, leaseMs / 3, leaseMs / 3, TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        Counts counts;
        List<RowError> errors;
        try {
            CompiledStep cs = compiled.get(u.step());
            cacheParents(cs, u.kind(), cache);
            StepMigrator steps = new StepMigrator(source, state, cs, req.batch(), req.writers(), progress, cache);
            switch (u.kind()) {
                case DELETE -> {
                    DeletionApplier.Outcome o = new DeletionApplier(source, state, plan.deletions(), runId, req.batch())
                            .apply(cs, window, null, false);
                    counts = new Counts(0, 0, 0, o.deleted(), o.errors().size());
                    errors = o.errors();
                }
                case ROWS -> {
                    StepMigrator.Counts c = steps.shard(window, new Shard(by, u.shard(), u.shards(),
                            u.keyFrom(), u.keyTo()), runId, u.fresh() && u.attempts() == 0);
                    counts = new Counts(c.read(), c.inserted(), c.updated(), 0, c.errorCount());
                    errors = c.errors();
                }
                case RETRY -> {
                    StepMigrator.Counts c = steps.retry(window, runId);
                    counts = new Counts(c.read(), c.inserted(), c.updated(), 0, c.errorCount());
                    errors = c.errors();
                }
                case FILL -> {
                    Set<String> written = state.log().keysOfRun(u.step(), runId);
                    errors = written.isEmpty() ? List.of() : new DeferredRefs(source, state, cs, req.batch(), cache)
                            .fill(window, written, Set.of(), runId);
                    counts = new Counts(0, 0, 0, 0, errors.size());
                }
                default -> throw new IllegalStateException(u.kind().name());
            }
        } catch (RuntimeException e) {
            renewer.shutdownNow();
            shared.release(u, me);
            throw e;
        }
        renewer.shutdownNow();
        synchronized (firstErrors) {
            errors.stream().limit(5).forEach(firstErrors::add);
        }
        Database target = state.database();
        long ms = (System.nanoTime() - started) / 1_000_000;
        try (Connection c = target.connection()) {
            if (lost.get() || !shared.done(c, u, me, counts.read(), counts.inserted(), counts.updated(), counts.deleted(),
                    counts.errors(), ms)) {
                throw CutoverException.runtime(u.label() + ": this worker's lease ran out while it worked (longer than --lease "
                        + workers.lease().toSeconds() + "s without renewing) and another worker took it; give a longer --lease");
            }
        } catch (SQLException e) {
            throw target.failure("recording " + u.label() + " as done", e);
        }
        return counts;
    }

    /**
     * Reads the whole migration log of each step {@code cs} refers to into the cache, once per worker (PostgreSQL
     * target): those steps are done everywhere before a unit of {@code cs} starts, so their logs are complete, and one
     * COPY of each costs the database far less than looking every batch's parents up. A step's own log is complete
     * only once its retry is done (for its deferred refs).
     */
    private void cacheParents(CompiledStep cs, Kind kind, RunCache cache) {
        Database target = state.database();
        if (target.dialect() != io.cutover.sql.db.Dialect.POSTGRES || kind == Kind.DELETE) {
            return;
        }
        for (Map.Entry<String, io.cutover.sql.plan.Ref> ref : cs.step().refs().entrySet()) {
            // a deferred ref's parent is complete only when its fill starts; the others' before any unit of cs
            boolean deferred = order.deferred(cs.name()).containsKey(ref.getKey());
            String parent = ref.getValue().step();
            if (cache.caching(parent) || deferred != (kind == Kind.FILL)) {
                continue;
            }
            try (Connection c = target.connection()) {
                long entries = state.log().logCount(c, parent);
                if (entries <= Math.min(Migrator.CACHE_LIMIT, Runtime.getRuntime().maxMemory() / 1024)) {
                    cache.install(parent, state.log().readLog(c, parent, (int) entries));
                }
            } catch (SQLException e) {
                throw target.failure("reading the migration log of step " + parent, e);
            }
        }
    }

    /** Ends the run once every unit is done, with each step's counts summed over its units (one worker wins). */
    private void finish(long runId, List<WorkUnit> units) {
        Map<String, Counts> byStep = new HashMap<>();
        Map<String, Long> ms = new HashMap<>();
        for (WorkUnit u : units) {
            byStep.merge(u.step(), new Counts(u.read(), u.inserted(), u.updated(), u.deleted(), u.errors()), Counts::plus);
            // a step's shards run side by side, its other units one after another: about the step's wall-clock time
            ms.merge(u.step(), u.kind() == Kind.ROWS ? 0 : u.durationMs(), Long::sum);
        }
        for (String step : byStep.keySet()) {
            ms.merge(step, units.stream().filter(x -> x.step().equals(step) && x.kind() == Kind.ROWS)
                    .mapToLong(WorkUnit::durationMs).max().orElse(0), Long::sum);
        }
        long rows = byStep.values().stream().mapToLong(x -> x.inserted() + x.updated()).sum();
        long errors = byStep.values().stream().mapToLong(Counts::errors).sum();
        Database target = state.database();
        try (Connection c = target.connection()) {
            c.setAutoCommit(false);
            if (state.history().finishRunning(c, runId, errors == 0 ? RunRecord.COMPLETED : RunRecord.COMPLETED_WITH_ERRORS,
                    rows, errors)) {
                for (String s : stepNames) {
                    Counts x = byStep.getOrDefault(s, Counts.NONE);
                    state.history().recordStep(c, new StepRecord(runId, s, x.read(), x.inserted(), x.updated(), x.deleted(),
                            x.errors(), ms.getOrDefault(s, 0L)));
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw target.failure("ending run " + runId, e);
        }
    }

    private void sleep() {
        pause(workers.poll().toMillis());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted while waiting for other workers", e);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
