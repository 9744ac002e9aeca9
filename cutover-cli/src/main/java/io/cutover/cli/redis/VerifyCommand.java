package io.cutover.cli.redis;

import io.cutover.cli.Cutover;
import com.fasterxml.jackson.core.type.TypeReference;
import io.cutover.cli.WorkerOptions;
import io.cutover.core.output.Json;
import io.cutover.core.workers.Worker;
import io.cutover.redis.workers.WorkerResult;
import io.cutover.redis.workers.WorkerShare;
import io.cutover.redis.workers.WorkerVerify;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.progress.Progress;
import io.cutover.core.time.Durations;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.verify.RedisVerify;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cutover redis verify}: compare source and target key by key. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Compare source and target key by key within the filters and db mapping: missing, extra, "
                + "type, value and TTL differences. Exit 0 identical, 1 differences, 3 connection failure.")
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SourceOption source;

    @Mixin
    TargetOption target;

    @Mixin
    TlsOption tls;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--sample", defaultValue = "0", paramLabel = "N", description = "Check a random sample of N keys (default: every key).")
    long sample;

    @Option(names = "--ttl-tolerance", defaultValue = "2s", paramLabel = "DURATION",
            description = "How far expiries may differ (default: ${DEFAULT-VALUE}).")
    String ttlTolerance;

    @Option(names = "--max-diffs", defaultValue = "20", paramLabel = "N", description = "Differences to list (default: ${DEFAULT-VALUE}).")
    int maxDiffs;

    @Option(names = "--batch", defaultValue = "500", description = "Keys per SCAN batch and round trip (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin
    WorkerOptions workers;

    @Override
    public Integer call() {
        OutputFormat f = OutputFormat.parse(format);
        VerifyOptions options = new VerifyOptions(selection.selection(), selection.dbMapping(), sample,
                Durations.parse(ttlTolerance, "--ttl-tolerance"), maxDiffs, batch);
        Worker worker = workers.worker();
        try (RedisEndpoint src = source.endpoint(tls); RedisEndpoint dst = target.endpoint(tls);
             Progress progress = f == OutputFormat.TABLE ? Cutover.progress(spec, "verify", 0) : Progress.silent()) {
            WorkerShare share = null;
            VerifyReport report;
            if (workers.given()) {
                WorkerResult<VerifyReport> r = new WorkerVerify(src, dst, options, worker, progress).run();
                share = r.share();
                report = r.report();
            } else {
                report = new RedisVerify(src, dst, options, progress).run();
            }
            progress.close();
            PrintWriter out = spec.commandLine().getOut();
            if (f == OutputFormat.JSON) {
                Object json = report;
                if (share != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("worker", WorkerJson.of(share));
                    m.putAll(Json.mapper().convertValue(report, new TypeReference<Map<String, Object>>() { }));
                    json = m;
                }
                out.print(Json.write(json) + "\n");
            } else {
                out.print(share == null ? report.table() : share + "\n" + report.table());
            }
            out.flush();
            return report.exitCode().code();
        }
    }
}
