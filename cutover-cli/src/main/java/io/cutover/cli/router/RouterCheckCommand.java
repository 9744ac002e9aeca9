package io.cutover.cli.router;

import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.output.Table;
import io.cutover.router.check.RouterCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cutover router check --config FILE}: validate everything without serving. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the configuration: regexes compile, a named group for every 'when', backends and "
                + "lists known, every list readable and well-formed, the session key present and usable. "
                + "Exit 0 when valid, 2 with one line naming the problem.")
public final class RouterCheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The router's YAML configuration.")
    Path config;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json", description = "Output format.")
    String format;

    @Override
    public Integer call() {
        OutputFormat fmt = OutputFormat.parse(format);
        RouterCheck.Report report = RouterCheck.check(config);
        PrintWriter out = spec.commandLine().getOut();
        if (fmt == OutputFormat.JSON) {
            out.println(Json.write(report));
            return 0;
        }
        out.println(config + ": OK");
        out.println("  listen " + report.listen() + (report.admin() == null ? "" : ", admin " + report.admin()));
        if (report.tls() != null) {
            out.println("  listen_tls " + report.tls());
        }
        out.println("  backends " + String.join(", ", report.backends()) + " (default " + report.defaultBackend() + ")");
        out.println("  routes " + (report.routes().isEmpty() ? "(none)" : String.join(", ", report.routes())));
        out.println("  session token " + (report.session() ? "on" : "off"));
        if (!report.lists().isEmpty()) {
            Table t = new Table("list", "ids", "source");
            report.lists().forEach(l -> t.row(l.name(), l.ids(), l.source()));
            out.print(t.render());
            out.flush();
        }
        return 0;
    }
}
