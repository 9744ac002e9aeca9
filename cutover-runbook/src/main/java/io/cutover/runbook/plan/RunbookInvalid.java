package io.cutover.runbook.plan;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;

import java.util.List;

/** A runbook with problems: each a line {@code file:line:col: message}. Exit 2. */
public final class RunbookInvalid extends CutoverException {
    private final List<String> problems;

    public RunbookInvalid(List<String> problems) {
        super(ExitCode.USAGE, String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
