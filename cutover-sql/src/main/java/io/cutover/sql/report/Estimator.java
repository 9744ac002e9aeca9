package io.cutover.sql.report;

import io.cutover.core.error.CutoverException;
import io.cutover.sql.db.Database;
import io.cutover.sql.migrate.CompiledStep;
import io.cutover.sql.migrate.RowReader;
import io.cutover.sql.plan.Window;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.Step;
import io.cutover.sql.plan.StepOrder;
import io.cutover.sql.state.StateStore;
import io.cutover.sql.state.StepRecord;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicts a window's duration from pending rows and the throughput of earlier runs; steps of one dependency
 * level run in parallel, so a level takes as long as its slowest step. The data's change rate is the rows changed
 * per hour in the last completed window (before any, in the {@link #LOOKBACK} before {@code until}). With N workers
 * sharing the window, each step's measured rows/s per worker (a shared run's rate divided by its workers) is taken N
 * times: the best case, reached only while the target database has CPU and disk to spare.
 */
public final class Estimator {
    public static final Duration LOOKBACK = Duration.ofDays(7);

    private final Plan plan;
    private final Database source;
    private final StateStore state;
    private final Map<String, CompiledStep> compiled;

    public Estimator(Plan plan, Database source, StateStore state, Map<String, CompiledStep> compiled) {
        this.plan = plan;
        this.source = source;
        this.state = state;
        this.compiled = compiled;
    }

    public EstimateReport estimate(LocalDateTime until, Duration fit) {
        return estimate(until, fit, 1);
    }

    public EstimateReport estimate(LocalDateTime until, Duration fit, int workers) {
        if (workers < 1) {
            throw CutoverException.usage("--workers-total must be at least 1, not " + workers);
        }
        LocalDateTime since = state.history().lastCompletedUntil();
        if (since != null && !since.isBefore(until)) {
            throw CutoverException.usage("--until " + until + " is not after the last completed window's end " + since);
        }
        Map<String, Double> throughput = throughput(workers);
        Window growth = state.history().runs().stream()
                .filter(r -> r.done() && r.scope() == null && r.since() != null && r.until() != null)
                .reduce((a, b) -> b).map(r -> new Window(r.since(), r.until()))
                .orElse(new Window(until.minus(LOOKBACK), until));
        double growthHours = Math.max(1e-9, Duration.between(growth.since(), growth.until()).toSeconds() / 3600.0);
        Window pendingWindow = new Window(since, until);
        List<EstimateReport.StepEstimate> steps = new ArrayList<>();
        Map<String, EstimateReport.StepEstimate> byName = new HashMap<>();
        for (Step s : StepOrder.of(plan).ordered()) {
            RowReader reader = new RowReader(source, compiled.get(s.name()), 1000);
            long pending = reader.count(pendingWindow);
            double perHour = reader.count(growth) / growthHours;
            Double tp = throughput.get(s.name());
            Double seconds = tp == null ? null : pending / tp;
            EstimateReport.StepEstimate e = new EstimateReport.StepEstimate(s.name(), pending, tp, seconds, perHour);
            steps.add(e);
            byName.put(s.name(), e);
        }
        List<List<Step>> levels = StepOrder.of(plan).levels();
        Double total = 0.0;
        double secondsPerDataHour = 0;
        for (List<Step> level : levels) {
            double slowest = 0;
            double slowestRate = 0;
            for (Step s : level) {
                EstimateReport.StepEstimate e = byName.get(s.name());
                if (e.seconds() == null) {
                    if (e.pending() > 0) {
                        total = null;
                    }
                    continue;
                }
                slowest = Math.max(slowest, e.seconds());
                slowestRate = Math.max(slowestRate, e.changesPerHour() / e.rowsPerSecond());
            }
            if (total != null) {
                total += slowest;
            }
            secondsPerDataHour += slowestRate;
        }
        EstimateReport.Fit proposal = fit == null ? null : fit(fit, since, until, secondsPerDataHour, steps, throughput.isEmpty());
        return new EstimateReport(since, until, steps, total, proposal, workers);
    }

    private static EstimateReport.Fit fit(Duration fit, LocalDateTime since, LocalDateTime until, double secondsPerDataHour,
                                          List<EstimateReport.StepEstimate> steps, boolean unmeasured) {
        double budget = fit.toMillis() / 1000.0;
        if (unmeasured) {
            return new EstimateReport.Fit(budget, null, 0, 0, "no throughput measured yet: run an online window first");
        }
        double perHour = steps.stream().mapToDouble(EstimateReport.StepEstimate::changesPerHour).sum();
        if (secondsPerDataHour <= 0) {
            return new EstimateReport.Fit(budget, since, 0, 0, "no rows changed in the last completed window; any final window fits");
        }
        double hours = budget / secondsPerDataHour;
        LocalDateTime end = until.minusSeconds((long) (hours * 3600));
        if (since != null && !end.isAfter(since)) {
            double finalHours = Duration.between(since, until).toSeconds() / 3600.0;
            return new EstimateReport.Fit(budget, since, Math.round(perHour * finalHours), finalHours * secondsPerDataHour,
                    "the final window from the last completed window already fits");
        }
        return new EstimateReport.Fit(budget, end, Math.round(perHour * hours), hours * secondsPerDataHour,
                "end the last online window at " + end + "; the final window [" + end + ", " + until + ") should fit");
    }

    /** Rows written per second per step by {@code workers} workers, over its last five measured runs. */
    private Map<String, Double> throughput(int workers) {
        Map<Long, Integer> shared = state.shared().workersByRun();
        Map<String, List<StepRecord>> byStep = new HashMap<>();
        for (StepRecord r : state.history().stepRecords()) {
            if (r.durationMs() > 0 && r.inserted() + r.updated() > 0) {
                byStep.computeIfAbsent(r.step(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Double> out = new HashMap<>();
        byStep.forEach((step, records) -> {
            List<StepRecord> last = records.subList(Math.max(0, records.size() - 5), records.size());
            long rows = last.stream().mapToLong(r -> r.inserted() + r.updated()).sum();
            // worker-milliseconds: a shared run's time counts once per worker it had
            long ms = last.stream().mapToLong(r -> r.durationMs() * shared.getOrDefault(r.runId(), 1)).sum();
            out.put(step, rows * 1000.0 / ms * workers);
        });
        return out;
    }
}
