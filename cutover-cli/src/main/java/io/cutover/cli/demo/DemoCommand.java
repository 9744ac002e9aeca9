package io.cutover.cli.demo;

import io.cutover.core.command.CommandRunner;
import io.cutover.core.error.CutoverException;
import io.cutover.demo.DemoAct;
import io.cutover.demo.RedisDemoAct;
import io.cutover.demo.RouterDemoAct;
import io.cutover.demo.RunbookDemoAct;
import io.cutover.demo.SqlDemoAct;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cutover demo}: every part at work on servers it starts itself; needs nothing running. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show every part at work on servers the demo starts itself (nothing needs to be running).")
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final CommandRunner cutover;

    /** {@code cutover} runs the command lines the acts show. */
    public DemoCommand(CommandRunner cutover) {
        this.cutover = cutover;
    }

    @Option(names = "--act", description = "Run only these acts: redis, sql, router, runbook (default: all).", split = ",")
    List<String> only;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<DemoAct> acts = List.of(new RedisDemoAct(), new SqlDemoAct(cutover), new RouterDemoAct(), new RunbookDemoAct(cutover));
        if (only != null) {
            for (String name : only) {
                if (acts.stream().noneMatch(a -> a.name().equals(name))) {
                    throw CutoverException.usage("--act: unknown act '" + name + "' (redis, sql, router, runbook)");
                }
            }
        }
        int worst = 0;
        for (DemoAct act : acts) {
            if (only != null && !only.contains(act.name())) {
                continue;
            }
            out.println();
            out.println("=== act: " + act.name() + " ===");
            out.flush();
            worst = Math.max(worst, act.run(out));
            out.flush();
        }
        return worst;
    }
}
