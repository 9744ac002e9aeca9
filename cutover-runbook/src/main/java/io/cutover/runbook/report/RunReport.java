package io.cutover.runbook.report;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.timeline.Estimates;
import io.cutover.runbook.timeline.Forecast;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable account of one run ({@code report --format json}): the shape scripts and tests rely on.
 * Times carry the window's offset.
 */
public final class RunReport {
    private RunReport() {
    }

    /** The forecast end: the recorded end of a finished run, else now plus the remaining critical path. */
    public static Instant forecastEnd(Runbook r, RunRecord run, Estimates est, Instant now) {
        if (run.finishedAt() != null && run.state() != RunStatus.RUNNING && run.state() != RunStatus.PAUSED) {
            return run.finishedAt();
        }
        return Forecast.of(r, run, est, now).expected().end();
    }

    public static Map<String, Object> json(Runbook r, RunRecord run, Estimates est, Instant now) {
        ZoneOffset zone = r.window().start().getOffset();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runbook", r.name());
        m.put("run", run.run());
        m.put("kind", run.kind().word());
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("start", time(r.window().start().toInstant(), zone));
        w.put("end", time(r.window().end().toInstant(), zone));
        m.put("window", w);
        m.put("forecast_end", time(forecastEnd(r, run, est, now), zone));
        m.put("state", run.state().word());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step s : r.steps()) {
            StepRun x = run.step(s.id());
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("id", s.id());
            sm.put("title", s.title());
            sm.put("owner", s.owner());
            sm.put("state", x.state().word());
            sm.put("planned_seconds", s.planned().toMillis() / 1000.0);
            sm.put("actual_seconds", x.actualSeconds());
            sm.put("started_at", time(x.startedAt(), zone));
            sm.put("finished_at", time(x.finishedAt(), zone));
            sm.put("confirmed_by", x.confirmedBy());
            steps.add(sm);
        }
        m.put("steps", steps);
        return m;
    }

    /**
     * ISO-8601 with the window's offset, always with seconds and milliseconds (OffsetDateTime's own toString drops
     * zero seconds, which breaks readers that cut the clock time out at fixed places).
     */
    public static String time(Instant i, ZoneOffset zone) {
        return i == null ? null : ISO.format(OffsetDateTime.ofInstant(i, zone));
    }

    private static final java.time.format.DateTimeFormatter ISO = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
}
