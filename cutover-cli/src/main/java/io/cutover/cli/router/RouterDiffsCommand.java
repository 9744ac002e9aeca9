package io.cutover.cli.router;

import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.output.Table;
import io.cutover.router.shadow.DiffSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cutover router diffs --file F}: what a shadow diffs file says, field by field. */
@Command(name = "diffs", mixinStandardHelpOptions = true,
        description = "Summarise a shadow diffs file (a route's shadow.diffs): pairs compared and differing, and per "
                + "field how often it differed with an example. Exit 0 when no pair differed, 1 when some did.")
public final class RouterDiffsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", required = true, paramLabel = "F", description = "The JSONL file a shadow wrote.")
    Path file;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json", description = "Output format.")
    String format;

    @Override
    public Integer call() {
        OutputFormat fmt = OutputFormat.parse(format);
        DiffSummary.Summary s = DiffSummary.read(file);
        PrintWriter out = spec.commandLine().getOut();
        if (fmt == OutputFormat.JSON) {
            out.println(Json.write(s));
        } else {
            double pct = s.compared() == 0 ? 0 : 100.0 * s.differing() / s.compared();
            out.printf("%d compared, %d differing (%.2f%%)%n", s.compared(), s.differing(), pct);
            if (!s.fields().isEmpty()) {
                Table t = new Table("field", "count", "example");
                s.fields().forEach(f -> t.row(f.field(), f.count(), example(f)));
                out.print(t.render());
            }
        }
        out.flush();
        return s.differing() > 0 ? 1 : 0;
    }

    private static String example(DiffSummary.FieldCount f) {
        if (f.example() == null) {
            return "(not written: past max_diffs)";
        }
        String e = f.example().get("method") + " " + f.example().get("target") + ": "
                + f.example().get("primary") + " -> " + f.example().get("shadow");
        return e.length() > 100 ? e.substring(0, 97) + "..." : e;
    }
}
