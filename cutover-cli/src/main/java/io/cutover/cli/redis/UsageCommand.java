package io.cutover.cli.redis;

import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.time.Durations;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.usage.RedisUsage;
import io.cutover.redis.usage.UsageOptions;
import io.cutover.redis.usage.UsageReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code cutover redis usage}: which client reads and writes which keys, from a sample of the real traffic. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Who uses which keys: samples the traffic with MONITOR and counts reads and writes per client, "
                + "database and key prefix. Where MONITOR is refused, lists the clients (CLIENT LIST) and the "
                + "server-wide counters (INFO) and says what that cannot tell. MONITOR slows a busy server down: "
                + "keep the sample short.")
public final class UsageCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--uri", required = true, paramLabel = "URI",
            description = "The Redis to sample: redis://[user[:password]@]host[:port][/db] or rediss://… (with /db, "
                    + "only that database is reported; the password may come from CUTOVER_SOURCE_PASSWORD).")
    String uri;

    @Mixin
    TlsOption tls;

    @Option(names = "--sample", defaultValue = "10s", paramLabel = "DURATION",
            description = "How long to watch (default: ${DEFAULT-VALUE}).")
    String sample;

    @Option(names = "--max-lines", defaultValue = "1000000", paramLabel = "N",
            description = "Stop after this many MONITOR lines, before the time is up (default: ${DEFAULT-VALUE}).")
    long maxLines;

    @Option(names = "--delimiter", defaultValue = ":", description = "Separates the parts of key names (default: ${DEFAULT-VALUE}).")
    String delimiter;

    @Option(names = "--depth", defaultValue = "1", description = "Key parts that form a prefix (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        OutputFormat f = OutputFormat.parse(format);
        UsageOptions options = new UsageOptions(Durations.parse(sample, "--sample"), maxLines, delimiter, depth);
        RedisUri parsed = RedisUri.parse(uri, System.getenv("CUTOVER_SOURCE_PASSWORD"), "--uri");
        try (RedisEndpoint endpoint = new RedisEndpoint(parsed, "server", tls.options())) {
            UsageReport report = new RedisUsage(endpoint, options).run();
            PrintWriter out = spec.commandLine().getOut();
            if (f == OutputFormat.JSON) {
                if (report.details() instanceof UsageReport.Fallback fb) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("cutover: MONITOR refused (" + fb.refusal() + "): " + UsageReport.FALLBACK_STATEMENT);
                    err.flush();
                }
                out.println(Json.write(report.json()));
            } else {
                out.print(report.table());
            }
            out.flush();
        }
        return 0;
    }
}
