package io.cutover.cli.demo;

import io.cutover.cli.redis.RedisDemoAct;
import io.cutover.cli.router.RouterDemoAct;
import io.cutover.cli.sql.SqlDemoAct;
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

    @Option(names = "--act", description = "Run only these acts: redis, sql, router (default: all).", split = ",")
    List<String> only;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<DemoAct> acts = List.of(new RedisDemoAct(), new SqlDemoAct(), new RouterDemoAct());
        if (only != null) {
            for (String name : only) {
                if (acts.stream().noneMatch(a -> a.name().equals(name))) {
                    throw io.cutover.core.error.CutoverException.usage("--act: unknown act '" + name + "' (redis, sql, router)");
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
