package io.cutover.runbook.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The last lines a step wrote (or its gate read), for the state file, the page and redis_lag gates. */
final class StepOutput implements Consumer<String> {
    private static final int KEEP = 200;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final Runnable changed;

    StepOutput(Runnable changed) {
        this.changed = changed;
    }

    @Override
    public void accept(String line) {
        synchronized (this) {
            lines.addLast(line);
            if (lines.size() > KEEP) {
                lines.removeFirst();
            }
        }
        changed.run();
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }
}
