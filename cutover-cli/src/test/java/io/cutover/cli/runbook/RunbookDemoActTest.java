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
                .contains("done     caught-up in ").contains("done     sync in ")
                .contains("done     drained in ").contains("confirm  switch by operator").contains("done     switch in ")
                .contains("done     verify in ").contains("rehearsal 1 done")
                .contains("what redis switch said").contains("  verified: ");
        assertThat(r.out().lines().filter(l -> l.matches("(stop-batch|start-new)\\[job-0[1-4]\\] +bob +done .*")).count()).isEqualTo(8);
        assertThat(r.out()).containsPattern("switch +alice +done .* operator");
        // the lag gate opened on the live copy's lag, which then ended by itself once the jobs had stopped
        assertThat(r.out().lines().filter(l -> l.matches("(sync|caught-up|verify) +(carol) +done .*")).count()).isEqualTo(3);
        String order = r.out().lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d done +.*"))
                .map(l -> l.replaceAll(".*done +(\\S+) in .*", "$1")).filter(s -> !s.contains("[")).reduce("", (a, b) -> a + " " + b);
        // sync ends once the stopped jobs leave it idle, drained once they have left: either may come first
        assertThat(order).isIn(" caught-up sync drained switch verify", " caught-up drained sync switch verify");
    }
}
