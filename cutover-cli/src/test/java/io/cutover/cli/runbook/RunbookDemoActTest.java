package io.cutover.cli.runbook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(180)
class RunbookDemoActTest {
    @Test
    void theUpgradeNightRunsFromStopToRestartWithTheJobsDrainedInBetween() {
        RunbookCommandTest.Result r = RunbookCommandTest.cutover("demo", "--act", "runbook");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("with 4 batch jobs connected").contains("control room: http://127.0.0.1:")
                .contains("done     drained in ").contains("confirm  switch by operator").contains("rehearsal 1 done");
        assertThat(r.out().lines().filter(l -> l.matches("(stop-batch|start-new)\\[job-0[1-4]\\] +bob +done .*")).count()).isEqualTo(8);
        assertThat(r.out()).containsPattern("switch +alice +done .* operator");
    }
}
