package io.cutover.cli.sql;

import io.cutover.core.error.ExitCode;
import io.cutover.core.output.Json;
import io.cutover.sql.CheckReport;
import io.cutover.sql.SqlMigration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code cutover sql check}: parse the plan, connect, and check every table, column, expression and ref. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Parse the plan, connect to both databases and check tables, columns, expressions and refs (writes nothing).")
public final class SqlCheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PlanOptions options;

    @Override
    public Integer call() {
        try (SqlMigration m = options.open(2)) {
            CheckReport report = m.check();
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                out.println(Json.write(report));
            } else if (report.ok()) {
                out.println("plan ok: " + report.order().size() + " steps in order " + String.join(" -> ", report.order()));
                if (!report.deferred().isEmpty()) {
                    out.println("deferred refs (written NULL first, filled once the run's rows are in): "
                            + String.join(", ", report.deferred()));
                }
            }
            if (!report.ok()) {
                PrintWriter err = spec.commandLine().getErr();
                report.problems().forEach(p -> err.println("cutover: " + p));
                return ExitCode.USAGE.code();
            }
            return ExitCode.OK.code();
        }
    }
}
