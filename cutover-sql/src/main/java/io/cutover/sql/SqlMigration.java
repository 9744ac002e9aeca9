package io.cutover.sql;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.sql.db.Database;
import io.cutover.sql.migrate.CompiledStep;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.migrate.MigrateResult;
import io.cutover.sql.migrate.Migrator;
import io.cutover.sql.migrate.SharedRun;
import io.cutover.sql.migrate.WorkerResult;
import io.cutover.sql.migrate.Workers;
import io.cutover.sql.plan.Window;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.Step;
import io.cutover.sql.plan.StepOrder;
import io.cutover.sql.state.StateStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The public entry point of {@code cutover-sql}: one plan, its source and target databases, and every
 * operation the CLI offers (check, migrate, verify, status, errors, estimate, reveal). Databases are
 * connected on first use; close it to release the pools.
 */
public final class SqlMigration implements AutoCloseable {
    private final Plan plan;
    private final int poolSize;
    private Database source;
    private Database target;

    /** {@code poolSize}: connections the work needs at once per side (steps in parallel × writers per step). */
    public SqlMigration(Plan plan, int poolSize) {
        this.plan = plan;
        this.poolSize = Math.max(2, poolSize);
    }

    public SqlMigration(Plan plan) {
        this(plan, 4);
    }

    public Plan plan() {
        return plan;
    }

    public synchronized Database source() {
        if (source == null) {
            source = Database.open("source", plan.source(), poolSize + 3, plan.zone());
        }
        return source;
    }

    public synchronized Database target() {
        if (target == null) {
            target = Database.open("target", plan.target(), poolSize + 3, plan.zone());
        }
        return target;
    }

    public StateStore state() {
        return new StateStore(target());
    }

    /** Connects to both sides and checks every table, column, expression and ref; writes nothing. */
    public CheckReport check() {
        List<String> problems = new ArrayList<>();
        compile(problems);
        StepOrder steps = StepOrder.of(plan);
        List<String> order = steps.ordered().stream().map(Step::name).toList();
        List<String> deferred = new ArrayList<>();
        for (Step s : steps.ordered()) {
            steps.deferred(s.name()).forEach((column, why) -> deferred.add(s.name() + "." + column + " (" + why + ")"));
        }
        return new CheckReport(order, problems, deferred);
    }

    /** Compiles every step, failing with a usage error (exit 2) listing the first problem when any. */
    public Map<String, CompiledStep> compiled() {
        List<String> problems = new ArrayList<>();
        Map<String, CompiledStep> out = compile(problems);
        if (!problems.isEmpty()) {
            throw CutoverException.usage(problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1)
                    + " more problem(s): run 'cutover sql check')" : ""));
        }
        return out;
    }

    private Map<String, CompiledStep> compile(List<String> problems) {
        Map<String, RowTransformer> transformers = new HashMap<>();
        for (RowTransformer t : ServiceLoader.load(RowTransformer.class)) {
            transformers.put(t.name(), t);
        }
        Map<String, CompiledStep> out = new LinkedHashMap<>();
        Database src = source();
        Database tgt = target();
        StepOrder order = StepOrder.of(plan);
        try (Connection s = src.connection(); Connection t = tgt.connection()) {
            for (Step step : order.ordered()) {
                RowTransformer tr = null;
                if (step.transform() != null) {
                    tr = transformers.get(step.transform());
                    if (tr == null) {
                        problems.add("step '" + step.name() + "': no RowTransformer named '" + step.transform()
                                + "' on the classpath (known: " + String.join(", ", transformers.keySet()) + ")");
                        continue;
                    }
                }
                try {
                    CompiledStep cs = CompiledStep.compile(step, s, t, tr, plan.zone(), order.deferred(step.name()).keySet());
                    out.put(step.name(), cs);
                    problems.addAll(typeProblems(cs));
                    try {
                        if (!io.cutover.sql.db.UniqueKeys.unique(t, step.into(), step.targetKeyColumns())) {
                            problems.add("step '" + step.name() + "': target_key " + step.targetKey() + " is not unique in "
                                    + step.into() + " (no primary key or unique index on it): an update would rewrite every row "
                                    + "sharing a key; add one (ALTER TABLE " + step.into() + " ADD PRIMARY KEY ("
                                    + String.join(", ", step.targetKeyColumns()) + ")) or give a unique target_key");
                        }
                    } catch (SQLException e) {
                        problems.add("step '" + step.name() + "': target (" + step.into() + "): cannot read its keys: "
                                + oneLine(e.getMessage()));
                    }
                    order.deferred(step.name()).forEach((column, why) -> {
                        if (!cs.targetNullable(column)) {
                            problems.add("step '" + step.name() + "': ref " + column + " is deferred (" + why + "): it is written "
                                    + "NULL first and filled once the run's rows are in, but " + step.into() + "." + column
                                    + " is NOT NULL; allow NULL for the migration (ALTER TABLE " + step.into() + " ALTER COLUMN "
                                    + column + " DROP NOT NULL) and restore it after the last window");
                        }
                    });
                } catch (CompiledStep.StepSqlException e) {
                    problems.add("step '" + step.name() + "': " + e.side() + " ("
                            + (e.side().equals("source") ? step.relation() : step.into()) + "): " + oneLine(e.getMessage()));
                }
            }
            if (plan.deletions() != null) {
                var d = plan.deletions();
                try (Statement st = s.createStatement()) {
                    st.executeQuery("SELECT " + d.tableColumn() + ", " + d.keyColumn() + ", " + d.timeColumn() + " FROM "
                            + d.table() + " WHERE 1=0").close();
                } catch (SQLException e) {
                    problems.add("deletions: source (" + d.table() + "): " + oneLine(e.getMessage()));
                }
            }
        } catch (SQLException e) {
            throw CutoverException.runtime("checking the plan: " + oneLine(e.getMessage()), e);
        }
        return out;
    }

    /** Columns whose source values can never convert into the target column's type (a date into an integer…). */
    private static List<String> typeProblems(CompiledStep cs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cs.expressions(); i++) {
            io.cutover.sql.db.ColumnType from = cs.sourceColumn(i);
            io.cutover.sql.db.ColumnType to = cs.targetColumn(i);
            io.cutover.sql.db.TypeFamily f = io.cutover.sql.db.TypeFamily.of(from);
            io.cutover.sql.db.TypeFamily t = io.cutover.sql.db.TypeFamily.of(to);
            if (cs.transformer() == null && f.neverConvertsTo(t)) {
                String column = cs.targetColumns().get(i);
                out.add("step '" + cs.name() + "': column " + column + ": the source gives " + f.label() + " (" + from.name()
                        + ") but " + cs.step().into() + "." + column + " is " + t.label() + " (" + to.name() + "): no value will "
                        + "convert; cast it in the expression (" + column + ": \"CAST(" + cs.step().columns().get(column)
                        + " AS …)\") or change the column");
            }
        }
        return out;
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s+", " ").trim();
    }

    /** Runs one window (see {@link MigrateRequest}); a bad plan or window fails with exit 2 before anything is written. */
    public MigrateResult migrate(MigrateRequest req, Progress progress) {
        Map<String, CompiledStep> compiled = compiled(req);
        Window window = window(req);
        return new Migrator(plan, source(), state(), compiled, progress).run(window, req);
    }

    /**
     * Takes part, as one of {@code workers.total()} workers, in the window's shared run (see {@link SharedRun}): the
     * first worker to arrive makes it, the others join; a worker arriving after it completed does nothing. The
     * window must be given ({@code --next} would let a late worker start the next one); no subset, no dry run.
     */
    public WorkerResult migrate(MigrateRequest req, Workers workers, Progress progress) {
        req.requireSharable();
        Map<String, CompiledStep> compiled = compiled(req);
        Window window = window(req);
        return new SharedRun(plan, source(), state(), compiled, progress, workers, req).run(window);
    }

    private Map<String, CompiledStep> compiled(MigrateRequest req) {
        for (String step : req.only().keySet()) {
            if (plan.step(step).isEmpty()) {
                throw CutoverException.usage("--only: unknown step '" + step + "'");
            }
        }
        return compiled();
    }

    private Window window(MigrateRequest req) {
        LocalDateTime since = req.since();
        if (req.next()) {
            since = state().history().lastCompletedUntil();
            if (since == null) {
                throw CutoverException.usage("--next: no completed window yet; give --since for the first one");
            }
        } else if (since == null) {
            throw CutoverException.usage("give --since T (or --next)");
        }
        if (req.until() == null) {
            throw CutoverException.usage("give --until T");
        }
        LocalDateTime now = LocalDateTime.now(plan.zone());
        if (req.until().isAfter(now) && !req.allowFuture()) {
            // the next window would start at --until: whatever changes between now and then would never be read
            throw CutoverException.usage("--until " + req.until() + " is in the future (now is " + now.withNano(0) + " in "
                    + plan.zone().getId() + "): rows changed after now would be missed by the next window; give a time "
                    + "up to now, or --allow-future");
        }
        return new Window(since, req.until());
    }

    /** Compares the target with the source recomputed (see {@link io.cutover.sql.verify.Verifier}). */
    public io.cutover.sql.verify.VerifyReport verify(io.cutover.sql.verify.VerifyRequest req, Progress progress) {
        for (String step : req.only().keySet()) {
            if (plan.step(step).isEmpty()) {
                throw CutoverException.usage("--only: unknown step '" + step + "'");
            }
        }
        Map<String, CompiledStep> compiled = compiled();
        return new io.cutover.sql.verify.Verifier(plan, source(), state(), compiled, progress).verify(req);
    }

    /**
     * Makes the hidden rows of {@code step} (null: every step with {@code hide}) visible: only rows the migration
     * log knows, so rows the target had before are left alone. Returns rows revealed per step.
     */
    public Map<String, Long> reveal(String step) {
        if (step != null && plan.step(step).isEmpty()) {
            throw CutoverException.usage("--step: unknown step '" + step + "'");
        }
        if (step != null && plan.step(step).get().hide() == null) {
            throw CutoverException.usage("--step: step '" + step + "' has no 'hide' in the plan");
        }
        Map<String, Long> out = new LinkedHashMap<>();
        Database tgt = target();
        StateStore state = state();
        if (!state.exists()) {
            throw CutoverException.usage("nothing to reveal: the target has no migration state yet (run migrate first)");
        }
        state.log().requireCurrentLog(plan.steps().stream().map(Step::name).toList());
        for (Step s : StepOrder.of(plan).ordered()) {
            if (s.hide() == null || (step != null && !step.equals(s.name()))) {
                continue;
            }
            String sql = "UPDATE " + s.into() + " SET " + s.hide().column() + " = ? WHERE " + s.hide().column()
                    + " = ? AND " + state.log().knowsTarget(s.name(), tgt.dialect().joinText(s.targetKeyColumns().stream()
                    .map(k -> s.into() + "." + k).toList(), Step.KEY_SEPARATOR));
            try (Connection c = tgt.connection(); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, s.hide().revealValue());
                ps.setObject(2, s.hide().value());
                out.put(s.name(), (long) ps.executeUpdate());
            } catch (SQLException e) {
                throw tgt.failure("revealing step " + s.name(), e);
            }
        }
        return out;
    }

    /** Runs, and per step windows, rows, errors and throughput. */
    public io.cutover.sql.report.StatusReport status() {
        StateStore st = state();
        var runs = st.history().runs();
        var done = runs.stream().filter(io.cutover.sql.state.RunRecord::done).map(io.cutover.sql.state.RunRecord::id)
                .collect(java.util.stream.Collectors.toSet());
        List<io.cutover.sql.report.StatusReport.StepStatus> steps = new ArrayList<>();
        var records = st.history().stepRecords();
        Map<String, Long> outstanding = st.outstanding().counts();
        for (Step s : StepOrder.of(plan).ordered()) {
            var mine = records.stream().filter(r -> r.step().equals(s.name()) && done.contains(r.runId())).toList();
            long rows = mine.stream().mapToLong(r -> r.inserted() + r.updated()).sum();
            long ms = mine.stream().mapToLong(io.cutover.sql.state.StepRecord::durationMs).sum();
            steps.add(new io.cutover.sql.report.StatusReport.StepStatus(s.name(), mine.size(), rows,
                    mine.stream().mapToLong(io.cutover.sql.state.StepRecord::deleted).sum(),
                    mine.stream().mapToLong(io.cutover.sql.state.StepRecord::errors).sum(), ms == 0 ? 0 : rows * 1000.0 / ms,
                    outstanding.getOrDefault(s.name(), 0L)));
        }
        var shared = st.shared();
        List<io.cutover.sql.state.WorkUnit> units = shared.exists() ? shared.latestUnits() : List.of();
        return new io.cutover.sql.report.StatusReport(runs, steps, units);
    }

    /** Recorded row errors of one run (null: every run). */
    public List<io.cutover.sql.state.RowError> errors(Long runId) {
        return state().history().errors(runId);
    }

    /** The rows outstanding now, each with its latest error: failed and not migrated since. */
    public List<io.cutover.sql.state.RowError> openErrors() {
        return state().outstanding().list();
    }

    /** Pending rows and predicted duration up to {@code until}; with {@code fit}, where to end the last online window. */
    public io.cutover.sql.report.EstimateReport estimate(LocalDateTime until, java.time.Duration fit) {
        return estimate(until, fit, 1);
    }

    /** {@link #estimate(LocalDateTime, java.time.Duration)} for a window shared by {@code workers} workers. */
    public io.cutover.sql.report.EstimateReport estimate(LocalDateTime until, java.time.Duration fit, int workers) {
        Map<String, CompiledStep> compiled = compiled();
        return new io.cutover.sql.report.Estimator(plan, source(), state(), compiled).estimate(until, fit, workers);
    }

    @Override
    public synchronized void close() {
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }
}
