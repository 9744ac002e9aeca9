package io.cutover.core.command;

import java.io.PrintStream;

/**
 * Runs a {@code cutover} command line in this process, as a user would type it, and returns its exit code. The
 * command itself lives in the CLI module, above every other module; this seam lets the modules that drive commands
 * (the demo, the runbook) run real command lines without depending on the CLI.
 */
@FunctionalInterface
public interface CommandRunner {
    int run(PrintStream out, PrintStream err, String... args);
}
