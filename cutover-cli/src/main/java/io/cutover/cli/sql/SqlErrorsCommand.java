package io.cutover.cli.sql;

import io.cutover.core.output.Json;
import io.cutover.core.output.Table;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.state.RowError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cutover sql errors}: the row errors recorded by migrate. */
@Command(name = "errors", mixinStandardHelpOptions = true, description = "The row errors recorded by migrate (all runs, or one), "
        + "or with --open the rows outstanding now (failed and not migrated since; every later window retries them).")
public final class SqlErrorsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    PlanOptions options;

    @Option(names = "--run", paramLabel = "ID", description = "Only the errors of this run.")
    Long run;

    @Option(names = "--open", description = "Only the rows outstanding now, each with its latest error.")
    boolean open;

    @Override
    public Integer call() {
        try (SqlMigration m = options.open(2)) {
            if (open && run != null) {
                throw io.cutover.core.error.CutoverException.usage("give either --open or --run, not both");
            }
            List<RowError> errors = open ? m.openErrors() : m.errors(run);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                out.println(Json.write(errors));
                return 0;
            }
            if (errors.isEmpty()) {
                out.println(open ? "no outstanding rows" : "no row errors recorded");
                return 0;
            }
            Table t = new Table("run", "step", "key", "kind", "message", "source row");
            for (RowError e : errors) {
                t.row(e.runId(), e.step(), e.sourceKey(), e.kind(), e.message(), e.sourceRow());
            }
            out.println(t.render().stripTrailing());
            return 0;
        }
    }
}
