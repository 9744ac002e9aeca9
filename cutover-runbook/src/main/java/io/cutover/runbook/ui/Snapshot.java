package io.cutover.runbook.ui;

import io.cutover.runbook.plan.Action;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.report.RunReport;
import io.cutover.runbook.run.Runner;
import io.cutover.runbook.state.RunEvent;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.timeline.Estimates;
import io.cutover.runbook.timeline.Forecast;
import io.cutover.runbook.timeline.Schedule;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the page shows at one moment: the report's fields plus the plan's bars, outputs, gate values and forecast. */
final class Snapshot {
    private Snapshot() {
    }

    static Map<String, Object> of(Runner runner, Instant now) {
        Runbook r = runner.runbook();
        RunRecord run = runner.record();
        Estimates est = Estimates.of(r, runner.history());
        ZoneOffset zone = r.window().start().getOffset();
        Map<String, Object> m = RunReport.json(r, run, est, now);
        Forecast plan = Forecast.of(r, null, est, now);
        Forecast live = Forecast.of(r, run, est, now);
        Map<String, Schedule.Slot> planned = new HashMap<>();
        plan.expected().slots().forEach(s -> planned.put(s.step().id(), s));
        Map<String, Schedule.Slot> expected = new HashMap<>();
        live.expected().slots().forEach(s -> expected.put(s.step().id(), s));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) m.get("steps");
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Map<String, Object> sm : steps) {
            Step s = r.step((String) sm.get("id")).orElseThrow();
            StepRun x = run.step(s.id());
            Map<String, Object> e = new LinkedHashMap<>(sm);
            e.put("kind", s.action().kind());
            e.put("phase", s.phase());
            e.put("confirm", s.confirm());
            e.put("confirmable", s.confirm() && x.confirmedBy() == null);
            e.put("manual", s.action() instanceof Action.Manual);
            e.put("instruction", s.action() instanceof Action.Manual man ? man.instruction() : null);
            e.put("point_of_no_return", s.pointOfNoReturn());
            e.put("rollback_only", s.rollbackOnly());
            e.put("note", x.note());
            List<String> out = x.output();
            e.put("output", out.subList(Math.max(0, out.size() - 5), out.size()));
            e.put("gate_value", s.action() instanceof Action.Gate && !out.isEmpty() ? out.get(out.size() - 1) : null);
            Schedule.Slot p = planned.get(s.id());
            e.put("planned_start", p == null ? null : time(p.start(), zone));
            e.put("planned_end", p == null ? null : time(p.end(), zone));
            Schedule.Slot f = expected.get(s.id());
            e.put("expected_end", f == null ? null : time(f.end(), zone));
            e.put("critical", p != null && p.critical());
            shown.add(e);
        }
        m.put("steps", shown);
        m.put("now", time(now, zone));
        m.put("p90_end", time(live.pessimistic().end(), zone));
        m.put("margin_seconds", live.margin().toSeconds());
        m.put("verdict", live.verdict());
        m.put("warning", live.warning());
        m.put("point_of_no_return_passed", r.forward().stream().filter(Step::pointOfNoReturn)
                .anyMatch(s -> run.step(s.id()).state() == io.cutover.runbook.state.StepState.DONE));
        List<String> events = new ArrayList<>();
        for (RunEvent ev : run.events()) {
            events.add(time(ev.at(), zone).substring(11, 19) + " " + (ev.step() == null ? "" : ev.step() + ": ") + ev.what()
                    + (ev.by() == null ? "" : " (" + ev.by() + ")"));
        }
        m.put("events", events.subList(Math.max(0, events.size() - 20), events.size()));
        return m;
    }

    private static String time(Instant i, ZoneOffset zone) {
        return RunReport.time(i, zone);
    }
}
