package io.cutover.cli.runbook;

import io.cutover.core.error.CutoverException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cutover runbook report}: a recorded run as markdown, HTML or JSON. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "A recorded run (default: the last) as markdown (planned vs actual, decisions, outputs), a "
                + "self-contained HTML page (the same with a Gantt chart and the forecast against the window) or JSON.")
public final class RunbookReportCommand extends RunbookStatusCommand {
    @Option(names = "--format", defaultValue = "md", paramLabel = "md|html|json",
            description = "md (default), html (one self-contained page) or json.")
    String format;

    @Override
    String format() {
        if (!format.equals("md") && !format.equals("html") && !format.equals("json")) {
            throw CutoverException.usage("--format: '" + format + "' is not md, html or json");
        }
        return format;
    }
}
