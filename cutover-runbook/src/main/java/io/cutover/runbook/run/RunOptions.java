package io.cutover.runbook.run;

import io.cutover.runbook.state.RunKind;

import java.util.Set;

/**
 * How to run: the night or a rehearsal; where to start; steps to skip; the answer for steps that were running when
 * the last process died (null: there must be none, or they must be idempotent); and whether to start a new run
 * even though the last one can be continued.
 */
public record RunOptions(RunKind kind, String from, Set<String> skip, ResumeChoice resumeRunning, boolean newRun, String operator) {
    public static RunOptions of(RunKind kind) {
        return new RunOptions(kind, null, Set.of(), null, false, System.getProperty("user.name"));
    }
}
