package io.cutover.runbook.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every run and rehearsal of one runbook, oldest first: the content of its state file. */
public record History(String runbook, List<RunRecord> runs) {
    public History {
        runs = new ArrayList<>(runs);
    }

    public Optional<RunRecord> last() {
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(runs.size() - 1));
    }

    public Optional<RunRecord> run(int n) {
        return runs.stream().filter(r -> r.run() == n).findFirst();
    }

    public History put(RunRecord r) {
        List<RunRecord> l = new ArrayList<>(runs);
        l.removeIf(x -> x.run() == r.run());
        l.add(r);
        l.sort((a, b) -> Integer.compare(a.run(), b.run()));
        return new History(runbook, l);
    }

    public int nextRun() {
        return runs.stream().mapToInt(RunRecord::run).max().orElse(0) + 1;
    }
}
