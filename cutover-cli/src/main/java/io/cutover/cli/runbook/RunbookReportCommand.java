package io.cutover.cli.runbook;

import io.cutover.core.error.CutoverException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cutover runbook report}: a recorded run as markdown or JSON. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "A recorded run (default: the last) as markdown (planned vs actual, decisions, outputs) or JSON.")
public final class RunbookReportCommand extends RunbookStatusCommand {
    @Option(names = "--format", defaultValue = "md", paramLabel = "md|json", description = "md (default) or json.")
    String format;

    @Override
    String format() {
        if (!format.equals("md") && !format.equals("json")) {
            throw CutoverException.usage("--format: '" + format + "' is not md or json");
        }
        return format;
    }
}
