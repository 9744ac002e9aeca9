package io.cutover.runbook;

import io.cutover.runbook.plan.Action;
import io.cutover.runbook.plan.GateCheck;
import io.cutover.runbook.plan.OnFailure;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.RunbookInvalid;
import io.cutover.runbook.plan.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunbookLoaderTest {
    @TempDir
    Path dir;

    @Test
    void everyProblemIsOneLineWithFileLineAndColumn() throws Exception {
        Path f = RunbookFiles.write(dir, "bad.yaml", """
                name: night
                window: {start: "2026-12-06T22:00:00+09:00", end: "2026-12-06T21:00:00+09:00"}
                steps:
                  - id: stop
                    title: Stop
                    owner: bob
                    shell: "systemctl stop batch"
                    planned: 5 minutes
                    colour: red
                  - id: check
                    title: Check
                    after: [nope]
                    gate: {http: "ftp://x"}
                    planned: 1m
                  - id: stop
                    title: Again
                    owner: bob
                    wait: 1m
                """);
        assertThatThrownBy(() -> RunbookFiles.load(f)).isInstanceOfSatisfying(RunbookInvalid.class, e -> {
            assertThat(e.exitCode().code()).isEqualTo(2);
            assertThat(e.problems()).containsExactlyInAnyOrder(
                    f + ":2:51: window.end must be after window.start",
                    f + ":15:9: id: 'stop' is already used at 4:9",
                    f + ":8:14: planned: not a duration: '5 minutes' (use e.g. 500ms, 30s, 10m, 6h, 2d)",
                    f + ":9:5: step 'stop': unknown key 'colour' (known: after, at, confirm, cutover, env, for_each, gate, id, "
                            + "idempotent, manual, on_failure, owner, phase, planned, point_of_no_return, rollback, shell, timeout, title, wait)",
                    f + ":12:12: after: no step 'nope'",
                    f + ":10:5: step 'check': owner missing (who does it, or who is called when it fails)",
                    f + ":13:18: gate.http: not an http(s) URL: 'ftp://x'");
        });
    }

    @Test
    void brokenYamlNamesWhereItBreaks() throws Exception {
        Path f = RunbookFiles.write(dir, "broken.yaml", "name: x\nsteps:\n  - id: a\n    title: [unclosed\n");
        assertThatThrownBy(() -> RunbookFiles.load(f)).isInstanceOfSatisfying(RunbookInvalid.class, e ->
                assertThat(e.problems()).singleElement().asString().startsWith(f + ":4:21: not valid YAML: while parsing a flow sequence"));
    }

    @Test
    void unsetVariableIsAProblemAtItsScalar() throws Exception {
        Path f = RunbookFiles.write(dir, "vars.yaml", "name: x\n" + RunbookFiles.WINDOW + """
                steps:
                  - id: a
                    title: A
                    owner: me
                    shell: "redis-cli -h ${NEW_HOST} ping"
                    planned: 1m
                """);
        assertThatThrownBy(() -> RunbookFiles.load(f)).isInstanceOfSatisfying(RunbookInvalid.class, e ->
                assertThat(e.problems()).containsExactly(f + ":7:12: shell: variable NEW_HOST is not set (use ${NEW_HOST:-default} for a default)"));
    }

    @Test
    void stepsAreExpandedAndResolved() throws Exception {
        Files.writeString(dir.resolve("jobs.txt"), "# the batch hosts\nbatch-01\n\nbatch-02\n");
        Path f = RunbookFiles.write(dir, "night.yaml", "name: upgrade\n" + RunbookFiles.WINDOW + """
                vars:
                  OLD: "redis://${OLD_HOST}:6379"
                steps:
                  - id: stop
                    title: Stop ${item}
                    owner: bob
                    for_each: jobs.txt
                    shell: "ssh ${item} systemctl stop batch"
                    timeout: 30s
                    planned: 1m
                    rollback: [start]
                  - id: drained
                    title: Drained
                    owner: carol
                    gate: {redis_clients: "${OLD}", max: 0, except: [monitor], every: 2s}
                    timeout: 5m
                    planned: 2m
                    on_failure: rollback
                  - id: switch
                    title: Switch
                    owner: alice
                    at: "01:30"
                    manual: Flip the DNS record
                    confirm: true
                    point_of_no_return: true
                  - id: start
                    title: Start ${item} again
                    owner: bob
                    for_each: jobs.txt
                    shell: "ssh ${item} systemctl start batch"
                    planned: 1m
                """);
        Runbook r = RunbookFiles.load(f);
        assertThat(r.state()).isEqualTo(new io.cutover.runbook.state.StateLocation.File(dir.resolve("night.state.json")));
        assertThat(r.forward()).extracting(Step::id).containsExactly("stop[batch-01]", "stop[batch-02]", "drained", "switch");
        assertThat(r.steps()).extracting(Step::id).contains("start[batch-01]", "start[batch-02]");
        Step stop2 = r.step("stop[batch-02]").orElseThrow();
        assertThat(stop2.title()).isEqualTo("Stop batch-02");
        assertThat(stop2.action()).isEqualTo(new Action.Shell("ssh batch-02 systemctl stop batch", Duration.ofSeconds(30), java.util.Map.of()));
        assertThat(stop2.rollback()).containsExactly("start[batch-02]");
        Step drained = r.step("drained").orElseThrow();
        assertThat(drained.after()).containsExactly("stop[batch-01]", "stop[batch-02]");
        assertThat(drained.onFailure()).isEqualTo(OnFailure.ROLLBACK);
        assertThat(((Action.Gate) drained.action()).check())
                .isEqualTo(new GateCheck.RedisClients("redis://10.0.0.7:6379", 0, java.util.List.of("monitor")));
        Step sw = r.step("switch").orElseThrow();
        assertThat(sw.at()).hasToString("2026-12-07T01:30+09:00");
        assertThat(sw.pointOfNoReturn()).isTrue();
        assertThat(r.step("start[batch-01]").orElseThrow().rollbackOnly()).isTrue();
    }

    @Test
    void stepsWaitingForEachOtherAreRefused() throws Exception {
        Path f = RunbookFiles.write(dir, "loop.yaml", "name: x\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: a, title: A, owner: me, wait: 1m, after: [b]}
                  - {id: b, title: B, owner: me, wait: 1m}
                """);
        assertThatThrownBy(() -> RunbookFiles.load(f)).isInstanceOfSatisfying(RunbookInvalid.class, e ->
                assertThat(e.problems()).containsExactly(f + ":4:10: after: steps wait for each other in a circle: a → b"));
    }
}
