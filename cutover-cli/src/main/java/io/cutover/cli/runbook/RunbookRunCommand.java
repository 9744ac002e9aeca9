package io.cutover.cli.runbook;

import io.cutover.cli.Terminal;

import io.cutover.core.error.CutoverException;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.report.RunText;
import io.cutover.runbook.run.ResumeChoice;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.run.Runner;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.ui.ControlRoom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code cutover runbook run}: the night. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the runbook: steps in dependency order (parallel where after allows), recorded after every "
                + "change so that running it again continues where it stopped. Exit 0 done, 1 done with failed "
                + "steps that said continue, 3 failed, aborted or rolled back.")
public class RunbookRunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunbookFile file;

    @Option(names = "--ui", paramLabel = "HOST:PORT", description = "Serve the control-room page here (e.g. 127.0.0.1:8088).")
    String ui;

    @Option(names = "--from", paramLabel = "STEP", description = "Start at this step: the steps it does not lead to are skipped.")
    String from;

    @Option(names = "--skip", paramLabel = "STEP", description = "Skip this step (repeatable; a for_each id skips every item).")
    List<String> skip;

    @Option(names = "--resume-running", paramLabel = "rerun|done|fail",
            description = "For steps that were running when the last process died (and are not idempotent): run them "
                    + "again, record them done, or record them failed. Asked on a terminal when not given.")
    ResumeChoice resumeRunning;

    @Option(names = "--new", description = "Start a new run even though the last one could be continued.")
    boolean newRun;

    @Option(names = "--by", paramLabel = "NAME", description = "Who runs it (recorded with decisions; default: the user name).")
    String by;

    RunKind kind() {
        return RunKind.RUN;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Runbook r = file.load(spec.commandLine().getErr());
        ResumeChoice choice = resumeRunning == null ? ask(r) : resumeRunning;
        RunOptions o = new RunOptions(kind(), from, skip == null ? Set.of() : Set.copyOf(skip), choice, newRun,
                by == null ? System.getProperty("user.name") : by);
        Runner runner = new Runner(r, o, io.cutover.cli.Cutover::execute, out, Clock.systemUTC());
        ControlRoom room = null;
        if (ui != null) {
            room = ControlRoom.start(runner, ui);
            out.println("control room: " + room.url() + "?token=" + room.token());
            out.println("(actions need the token; share the page without it to let others watch)");
            out.flush();
        }
        try {
            int code = runner.run();
            if (kind() == RunKind.REHEARSAL) {
                out.print(RunText.plannedVsActual(r, runner.record(), runner.history()));
                out.flush();
            }
            return code;
        } finally {
            if (room != null) {
                room.close();
            }
        }
    }

    /** On a terminal, asks what happened to steps that were running when the last process died. */
    private ResumeChoice ask(Runbook r) {
        List<String> stuck = Runner.interrupted(r, RunbookFile.history(r), kind());
        Optional<Terminal> terminal = Terminal.of(spec);
        if (stuck.isEmpty() || terminal.isEmpty()) {
            return null;
        }
        String a = terminal.get().readLine(String.join(", ", stuck) + " was running when the last run stopped. rerun, done or fail? ");
        try {
            return a == null ? null : ResumeChoice.valueOf(a.strip().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw CutoverException.usage("answer rerun, done or fail (or give --resume-running)");
        }
    }
}
