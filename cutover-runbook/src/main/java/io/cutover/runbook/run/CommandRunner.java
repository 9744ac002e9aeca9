package io.cutover.runbook.run;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a Cutover command in this process, as {@code cutover ARGS…} would: the CLI passes its own in-process
 * entry point, so that this module need not depend on it.
 */
@FunctionalInterface
public interface CommandRunner {
    /** Runs {@code args}, handing each output line (result and errors) to {@code lines}; returns the exit code. */
    int run(List<String> args, Consumer<String> lines);
}
