package io.cutover.runbook.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One run or rehearsal: each step's record, in runbook order, and the log of decisions. */
public record RunRecord(int run, RunKind kind, RunStatus state, Instant startedAt, Instant finishedAt,
                        Map<String, StepRun> steps, List<RunEvent> events) {
    public RunRecord {
        steps = new LinkedHashMap<>(steps);
        events = new ArrayList<>(events);
    }

    public RunRecord with(RunStatus s, Instant finished) {
        return new RunRecord(run, kind, s, startedAt, finished, steps, events);
    }

    public RunRecord with(String step, StepRun r) {
        Map<String, StepRun> m = new LinkedHashMap<>(steps);
        m.put(step, r);
        return new RunRecord(run, kind, state, startedAt, finishedAt, m, events);
    }

    public RunRecord with(RunEvent e) {
        List<RunEvent> l = new ArrayList<>(events);
        l.add(e);
        return new RunRecord(run, kind, state, startedAt, finishedAt, steps, l);
    }

    public StepRun step(String id) {
        return steps.getOrDefault(id, StepRun.pending());
    }
}
