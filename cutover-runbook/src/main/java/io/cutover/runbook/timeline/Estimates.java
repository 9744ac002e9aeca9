package io.cutover.runbook.timeline;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each step's {@link Estimate}: its plan, and what earlier rehearsals measured. */
public final class Estimates {
    private final Map<String, Estimate> byStep;

    private Estimates(Map<String, Estimate> byStep) {
        this.byStep = byStep;
    }

    /** Estimates from the plan and the steps that finished done in the rehearsals of {@code history}. */
    public static Estimates of(Runbook r, History history) {
        Map<String, Estimate> m = new HashMap<>();
        for (Step s : r.steps()) {
            List<Long> ms = new ArrayList<>();
            for (RunRecord run : history.runs()) {
                StepRun x = run.steps().get(s.id());
                if (run.kind() == RunKind.REHEARSAL && x != null && x.state() == StepState.DONE && x.actualSeconds() != null) {
                    ms.add(Math.round(x.actualSeconds() * 1000));
                }
            }
            ms.sort(null);
            m.put(s.id(), ms.isEmpty() ? new Estimate(s.planned(), null, null, 0)
                    : new Estimate(s.planned(), Duration.ofMillis(percentile(ms, 50)), Duration.ofMillis(percentile(ms, 90)), ms.size()));
        }
        return new Estimates(m);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    public Estimate of(Step s) {
        return byStep.getOrDefault(s.id(), new Estimate(s.planned(), null, null, 0));
    }

    public boolean anyRehearsals() {
        return byStep.values().stream().anyMatch(e -> e.samples() > 0);
    }
}
