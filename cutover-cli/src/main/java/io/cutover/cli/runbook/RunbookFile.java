package io.cutover.cli.runbook;

import io.cutover.core.error.CutoverException;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.RunbookInvalid;
import io.cutover.runbook.plan.RunbookLoader;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.History;
import io.cutover.runbook.state.RunStore;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The runbook file argument and {@code --vars}, shared by every runbook command. */
public final class RunbookFile {
    @Parameters(index = "0", paramLabel = "FILE", description = "The runbook (YAML).")
    Path file;

    @Option(names = "--vars", paramLabel = "FILE",
            description = "NAME=value lines that replace the runbook's vars (e.g. the rehearsal targets).")
    Path vars;

    /** The checked runbook; its problems, one line each, go to {@code err} before the usage error. */
    Runbook load(PrintWriter err) {
        try {
            return RunbookLoader.fromSystem(overrides()).load(file);
        } catch (RunbookInvalid e) {
            e.problems().forEach(err::println);
            err.flush();
            throw CutoverException.usage(e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s") + " in " + file);
        }
    }

    /** Every recorded run of {@code r}, read from its state (a file or a database). */
    static History history(Runbook r) {
        try (RunStore s = r.state().open(r.name())) {
            return s.load();
        }
    }

    /** Hands a decision to the process running {@code r}. */
    static void post(Runbook r, Decision d) {
        try (RunStore s = r.state().open(r.name())) {
            s.post(d);
        }
    }

    private Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        if (vars == null) {
            return m;
        }
        try {
            int n = 0;
            for (String line : Files.readAllLines(vars)) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int eq = t.indexOf('=');
                if (eq < 1) {
                    throw CutoverException.usage(vars + ":" + n + ": expected NAME=value");
                }
                m.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
            }
        } catch (IOException e) {
            throw CutoverException.usage(vars + ": cannot read: " + e.getMessage());
        }
        return m;
    }
}
