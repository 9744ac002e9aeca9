package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.report.RunComparison;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Two rehearsals compared by state, duration and the sizes the steps reported. */
@Timeout(60)
class RunComparisonTest {
    @TempDir
    Path dir;

    @Test
    void aStepWhoseSizeGrewBeyondTheThresholdIsFlaggedAndOneWithinItIsNot() throws Exception {
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                steps:
                  - {id: export, title: Export, owner: carol, shell: "echo exported $(cat rows) rows, $(cat errors) errors", planned: 1m}
                  - {id: sessions, title: Sessions, owner: carol, shell: "echo copied $(cat keys) keys", planned: 1m}
                  - {id: tell, title: Tell, owner: bob, shell: "echo told", planned: 1s}
                """));
        RunOptions rehearsal = new RunOptions(RunKind.REHEARSAL, null, Set.of(), null, true, "carol");
        Files.writeString(dir.resolve("rows"), "10000");
        Files.writeString(dir.resolve("errors"), "0");
        Files.writeString(dir.resolve("keys"), "1000");
        assertThat(new Runs(r, rehearsal).run()).isZero();
        Files.writeString(dir.resolve("rows"), "13000");
        Files.writeString(dir.resolve("errors"), "2");
        Files.writeString(dir.resolve("keys"), "1100");
        Runs second = new Runs(r, rehearsal);
        assertThat(second.run()).isZero();
        History h;
        try (RunStore s = r.state().open(r.name())) {
            h = s.load();
        }
        RunComparison c = RunComparison.of(r, h.run(1).orElseThrow(), h.run(2).orElseThrow(), 0.2);
        assertThat(c.flagged()).extracting(x -> x.step().id()).containsExactly("export");
        assertThat(c.steps().get(0).sizes()).extracting(RunComparison.SizeChange::name, RunComparison.SizeChange::before,
                RunComparison.SizeChange::after).containsExactly(
                org.assertj.core.groups.Tuple.tuple("rows", 10000L, 13000L), org.assertj.core.groups.Tuple.tuple("errors", 0L, 2L));
        String text = c.text();
        assertThat(text).contains("night: rehearsal 2 compared with rehearsal 1 (sizes flagged beyond 20%)")
                .contains("! export").contains("rows 10,000 → 13,000 (+30%); errors 0 → 2")
                .contains("  sessions").contains("keys 1,000 → 1,100 (+10%)")
                .contains("1 step's measured size changed by more than 20%: export (rows 10,000 → 13,000 (+30%), errors 0 → 2)");
        assertThat(RunComparison.of(r, h.run(1).orElseThrow(), h.run(2).orElseThrow(), 0.05).flagged()).hasSize(2);
        assertThat(RunComparison.of(r, h.run(1).orElseThrow(), h.run(1).orElseThrow(), 0.0).flagged()).isEmpty();
        assertThat(io.cutover.runbook.report.RunText.plannedVsActual(r, h.run(2).orElseThrow(), h))
                .contains("planned vs actual (rehearsal 2, compared with rehearsal 1)").contains("! export");
    }
}
