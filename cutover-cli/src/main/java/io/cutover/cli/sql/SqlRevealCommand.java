package io.cutover.cli.sql;

import io.cutover.core.output.Json;
import io.cutover.sql.SqlMigration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cutover sql reveal}: flip migrated hidden rows to visible. */
@Command(name = "reveal", mixinStandardHelpOptions = true, description = "Flip the migrated rows hidden by a step's 'hide' to visible.")
public final class SqlRevealCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PlanOptions options;

    @Option(names = "--step", paramLabel = "S", description = "Only this step (default: every step with 'hide').")
    String step;

    @Override
    public Integer call() {
        try (SqlMigration m = options.open(2)) {
            Map<String, Long> revealed = m.reveal(step);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                out.println(Json.write(revealed));
            } else {
                revealed.forEach((s, n) -> out.println(s + ": " + n + " row(s) revealed"));
            }
            return 0;
        }
    }
}
