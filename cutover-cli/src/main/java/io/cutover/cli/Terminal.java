package io.cutover.cli;

import picocli.CommandLine;

import java.io.Console;
import java.util.Optional;

/**
 * Questions to the person running a command, on the process's terminal. A command the runbook or the demo runs
 * in-process has none, even when the runbook itself was started on a terminal: a step must not stop the night
 * waiting for an answer nobody sees, so it gets the "no terminal" path and its message naming the flag to pass.
 */
public final class Terminal {
    private final Console console;

    private Terminal(Console console) {
        this.console = console;
    }

    /** The terminal the command runs on, if it runs on one. */
    public static Optional<Terminal> of(CommandLine.Model.CommandSpec spec) {
        return Cutover.onTerminal(spec) ? Optional.ofNullable(System.console()).map(Terminal::new) : Optional.empty();
    }

    /** Asks a yes/no question ({@code [y/N]} is added); only "y" or "yes" is yes. */
    public boolean confirm(String question) {
        String answer = console.readLine("%s [y/N] ", question);
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }

    /** Reads one line after {@code prompt}; null at the end of input. */
    public String readLine(String prompt) {
        return console.readLine("%s", prompt);
    }
}
