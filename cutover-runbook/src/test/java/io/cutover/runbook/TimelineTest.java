package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.Step;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStatus;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;
import io.cutover.runbook.timeline.Estimates;
import io.cutover.runbook.timeline.Forecast;
import io.cutover.runbook.timeline.TimelineText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {
    @TempDir
    Path dir;

    /** prepare, then two branches (copy 30m; stop jobs 5m + drain 10m), joined by switch 10m. */
    private Runbook night(String window) throws Exception {
        return RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + window + """
                steps:
                  - {id: prepare, title: Prepare, owner: alice, manual: Check the dashboards, planned: 5m}
                  - {id: copy, title: Copy, owner: carol, shell: "true", planned: 30m}
                  - {id: stop-jobs, title: Stop jobs, owner: bob, after: [prepare], shell: "true", planned: 5m}
                  - {id: drain, title: Drain, owner: bob, shell: "true", planned: 10m}
                  - {id: switch, title: Switch, owner: alice, after: [copy, drain], manual: Flip DNS, planned: 10m}
                """));
    }

    @Test
    void criticalPathFollowsTheLongerParallelBranch() throws Exception {
        Runbook r = night(RunbookFiles.WINDOW);
        Forecast f = Forecast.of(r, null, Estimates.of(r, new History("night", List.of())), Instant.now());
        assertThat(f.expected().criticalPath()).extracting(Step::id).containsExactly("prepare", "copy", "switch");
        Map<String, String> starts = new LinkedHashMap<>();
        f.expected().slots().forEach(s -> starts.put(s.step().id(), s.start().atOffset(r.window().start().getOffset()).toLocalTime() + "-"
                + s.end().atOffset(r.window().start().getOffset()).toLocalTime()));
        assertThat(starts).containsExactly(Map.entry("prepare", "22:00-22:05"), Map.entry("copy", "22:05-22:35"),
                Map.entry("stop-jobs", "22:05-22:10"), Map.entry("drain", "22:10-22:20"), Map.entry("switch", "22:35-22:45"));
        assertThat(f.margin()).isEqualTo(Duration.ofMinutes(195));
        String text = TimelineText.render(r, Estimates.of(r, new History("night", List.of())), f);
        assertThat(text).contains("critical path (*): prepare → copy → switch = 45m00s")
                .contains("planned end 22:45:00: fits with 3h15m to spare");
    }

    @Test
    void aWindowTooShortDoesNotFit() throws Exception {
        Runbook r = night("window: {start: \"2026-12-06T22:00:00+09:00\", end: \"2026-12-06T22:40:00+09:00\"}\n");
        Forecast f = Forecast.of(r, null, Estimates.of(r, new History("night", List.of())), Instant.now());
        assertThat(f.fits()).isFalse();
        assertThat(f.verdict()).isEqualTo("does not fit: 5m00s over");
    }

    @Test
    void rehearsalsReplaceThePlanWithTheirMedianAndWarnAtP90() throws Exception {
        Runbook r = night("window: {start: \"2026-12-06T22:00:00+09:00\", end: \"2026-12-06T23:30:00+09:00\"}\n");
        // drain measured 40, 50 and 90 minutes: the branch through drain becomes the critical one
        List<RunRecord> runs = new ArrayList<>();
        int[] drainMinutes = {40, 50, 90};
        for (int i = 0; i < 3; i++) {
            Instant t0 = Instant.parse("2026-11-0" + (i + 1) + "T13:00:00Z");
            Map<String, StepRun> steps = new LinkedHashMap<>();
            steps.put("prepare", done(t0, Duration.ofMinutes(5)));
            steps.put("copy", done(t0, Duration.ofMinutes(20)));
            steps.put("stop-jobs", done(t0, Duration.ofMinutes(5)));
            steps.put("drain", done(t0, Duration.ofMinutes(drainMinutes[i])));
            steps.put("switch", done(t0, Duration.ofMinutes(10)));
            runs.add(new RunRecord(i + 1, RunKind.REHEARSAL, RunStatus.DONE, t0, t0, steps, List.of()));
        }
        // a real run's durations are not rehearsals and do not count
        runs.add(new RunRecord(4, RunKind.RUN, RunStatus.DONE, Instant.EPOCH, Instant.EPOCH,
                Map.of("drain", done(Instant.EPOCH, Duration.ofMinutes(1))), List.of()));
        Estimates est = Estimates.of(r, new History("night", runs));
        assertThat(est.of(r.step("drain").orElseThrow()).median()).isEqualTo(Duration.ofMinutes(50));
        assertThat(est.of(r.step("drain").orElseThrow()).p90()).isEqualTo(Duration.ofMinutes(90));
        Forecast f = Forecast.of(r, null, est, Instant.now());
        assertThat(f.expected().criticalPath()).extracting(Step::id).containsExactly("prepare", "stop-jobs", "drain", "switch");
        // p50: 5 + 5 + 50 + 10 = 70m, inside 90m; p90: 5 + 5 + 90 + 10 = 110m, 20m over
        assertThat(f.margin()).isEqualTo(Duration.ofMinutes(20));
        assertThat(f.warning()).isEqualTo("at p90 the night ends 20m00s after the window closes");
        assertThat(TimelineText.render(r, est, f)).contains("p50 of 3 rehearsals").contains("warning: at p90");

        // during a run: prepare took 15m (10 late); now is 5 minutes into stop-jobs
        Instant start = r.window().start().toInstant();
        Map<String, StepRun> steps = new LinkedHashMap<>();
        steps.put("prepare", done(start, Duration.ofMinutes(15)));
        steps.put("copy", StepRun.pending().started(start.plus(Duration.ofMinutes(15))));
        steps.put("stop-jobs", StepRun.pending().started(start.plus(Duration.ofMinutes(15))));
        RunRecord run = new RunRecord(5, RunKind.RUN, RunStatus.RUNNING, start, null, steps, List.of());
        Forecast live = Forecast.of(r, run, est, start.plus(Duration.ofMinutes(20)));
        // stop-jobs ends at 20m (its 5m are up), drain 50m, switch 10m: 80m, 10 minutes to spare
        assertThat(live.margin()).isEqualTo(Duration.ofMinutes(10));
    }

    private static StepRun done(Instant t0, Duration d) {
        return StepRun.pending().started(t0).finished(StepState.DONE, t0.plus(d), null);
    }
}
