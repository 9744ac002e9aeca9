package io.cutover.cli.redis;

import io.cutover.cli.Cutover;
import io.cutover.cli.WorkerOptions;
import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Bytes;
import io.cutover.core.workers.Worker;
import io.cutover.redis.workers.WorkerCopy;
import io.cutover.redis.workers.WorkerResult;
import io.cutover.redis.workers.WorkerShare;
import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.output.Table;
import io.cutover.core.progress.Progress;
import io.cutover.core.time.Durations;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.copy.CopyMode;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.KeyFailure;
import io.cutover.redis.keys.KeyText;
import io.cutover.redis.copy.RedisCopy;
import io.cutover.redis.connect.RedisUri;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cutover redis copy}: copies a filtered keyspace to another Redis (DUMP/RESTORE, or type-native where the
 * target is older). Exit 0 when every selected key was copied or skipped as expected, 1 when keys failed or existing
 * target keys were left untouched, 2 for bad usage (nothing written), 3 when a server fails mid-copy.
 */
@Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Copy keys to another Redis with SCAN, PTTL, DUMP and RESTORE (type-native reads and writes "
                + "when the target is older), keeping TTLs.")
public final class CopyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SourceOption source;

    @Mixin
    TargetOption target;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--mode", paramLabel = "auto|dump|struct", defaultValue = "auto",
            description = "auto: DUMP/RESTORE when the target loads the source's format, type-native otherwise "
                    + "(default); dump; struct.")
    CopyMode mode;

    @Option(names = "--replace", description = "Overwrite keys that already exist on the target (default: list them, leave them).")
    boolean replace;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + CopyOptions.DEFAULT_BATCH,
            description = "Keys per pipelined round trip (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "" + CopyOptions.DEFAULT_THREADS,
            description = "Copy workers (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batch-mb", paramLabel = "MB", defaultValue = "" + CopyOptions.DEFAULT_BATCH_MB,
            description = "Most MB of values the workers together hold at once on the type-native path; strings over "
                    + "1 MB go in 1 MB pieces (default ${DEFAULT-VALUE}).")
    int batchMb;

    @Option(names = "--rate", paramLabel = "OPS", defaultValue = "0",
            description = "Cap commands per second sent to the source (default: no cap).")
    long rate;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Save the scan position here every 2 s; rerun with the same file to resume.")
    Path checkpoint;

    @Option(names = "--dry-run", description = "Scan and count what would be copied; write nothing.")
    boolean dryRun;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "Output format.")
    String format;

    @Mixin
    TlsOption tls;

    // live sync: --live, --until-idle, --enable-notifications, --max-pending
    @Mixin
    LiveCopyMixin live;

    @Mixin
    WorkerOptions workers;

    @Override
    public Integer call() {
        // everything that can be checked without a server is checked before connecting
        OutputFormat out = OutputFormat.parse(format);
        source.uri(); // a bad URI is a usage error before anything connects
        target.uri();
        CopyOptions options = new CopyOptions(selection.selection(), selection.dbMapping(), mode, replace, batch,
                threads, rate, checkpoint, dryRun, batchMb);
        var tlsOptions = tls.options();
        Worker worker = workers.worker();
        if (workers.given() && live.enabled()) {
            throw CutoverException.usage("--live can't be split among workers (--workers-total): run one live copy");
        }
        if (workers.given()) {
            WorkerResult<CopyReport> result;
            try (RedisEndpoint src = source.endpoint(tlsOptions);
                 RedisEndpoint dst = target.endpoint(tlsOptions);
                 Progress progress = out == OutputFormat.JSON ? Progress.silent() : Cutover.progress(spec, "copy", 0)) {
                result = new WorkerCopy(src, dst, options, worker, progress).run();
            }
            print(out, result.report(), result.share());
            return result.report().clean() ? 0 : 1;
        }
        if (live.enabled()) {
            try (RedisEndpoint src = source.endpoint(tlsOptions);
                 RedisEndpoint dst = target.endpoint(tlsOptions)) {
                return live.run(src, dst, options, out, spec.commandLine().getOut(), spec.commandLine().getErr(), spec);
            }
        }
        CopyReport report;
        try (RedisEndpoint src = source.endpoint(tlsOptions);
             RedisEndpoint dst = target.endpoint(tlsOptions);
             Progress progress = out == OutputFormat.JSON ? Progress.silent() : Cutover.progress(spec, "copy", 0)) {
            report = new RedisCopy(src, dst, options, progress).run();
        }
        print(out, report, null);
        return report.clean() ? 0 : 1;
    }

    private void print(OutputFormat out, CopyReport report, WorkerShare share) {
        PrintWriter w = spec.commandLine().getOut();
        if (out == OutputFormat.JSON) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (share != null) {
                m.put("worker", WorkerJson.of(share));
            }
            m.putAll(json(report));
            w.println(Json.write(m));
        } else {
            w.print(share == null ? table(report) : share + "\n" + table(report));
        }
        w.flush();
    }

    static String table(CopyReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.dryRun() ? "dry run (nothing written): " : "copied ").append(r.source()).append(" -> ")
                .append(r.target()).append(" (").append(r.mode()).append(r.resumed() ? ", resumed from checkpoint" : "")
                .append(")\n");
        Table t = new Table("outcome", "keys");
        t.row(r.dryRun() ? "would copy" : "copied", r.copied());
        if (r.copiedStruct() > 0) {
            t.row("  of which type-native", r.copiedStruct());
        }
        t.row("skipped: unchanged", r.skippedUnchanged());
        t.row("skipped: filtered", r.skippedFiltered());
        t.row("skipped: expired", r.skippedExpired());
        t.row("skipped: existing", r.skippedExisting());
        t.row("failed", r.failed());
        sb.append(t.render());
        sb.append(String.format("time %s, %,.0f keys/s, %s%n", Durations.format(r.elapsed()), r.keysPerSecond(),
                Bytes.human(r.bytes())));
        if (!r.existingKeys().isEmpty()) {
            sb.append("existing on the target, left untouched (use --replace to overwrite)")
                    .append(r.skippedExisting() > r.existingKeys().size() ? ", first " + r.existingKeys().size() : "")
                    .append(":\n");
            r.existingKeys().forEach(k -> sb.append("  ").append(KeyText.cutQuoted(k, KeyText.WIDTH)).append('\n'));
        }
        if (!r.failures().isEmpty()) {
            sb.append("failed").append(r.failed() > r.failures().size() ? ", first " + r.failures().size() : "").append(":\n");
            for (KeyFailure f : r.failures()) {
                sb.append("  db ").append(f.db()).append(' ').append(KeyText.cutQuoted(f.key(), KeyText.WIDTH)).append(": ").append(f.reason()).append('\n');
            }
        }
        return sb.toString();
    }

    static Map<String, Object> json(CopyReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", r.source());
        m.put("target", r.target());
        m.put("mode", r.mode());
        m.put("dryRun", r.dryRun());
        m.put("resumed", r.resumed());
        m.put("copied", r.copied());
        m.put("copiedStruct", r.copiedStruct());
        Map<String, Object> skipped = new LinkedHashMap<>();
        skipped.put("unchanged", r.skippedUnchanged());
        skipped.put("filtered", r.skippedFiltered());
        skipped.put("expired", r.skippedExpired());
        skipped.put("existing", r.skippedExisting());
        m.put("skipped", skipped);
        m.put("failed", r.failed());
        m.put("bytes", r.bytes());
        // the exact keys: "key" when valid UTF-8, else "key_base64"
        m.put("existingKeys", r.existingKeys().stream().map(k -> {
            Map<String, Object> j = new LinkedHashMap<>();
            KeyText.putJsonQuoted(j, "key", k);
            return j;
        }).toList());
        m.put("failures", r.failures().stream().map(f -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("db", f.db());
            KeyText.putJsonQuoted(j, "key", f.key());
            j.put("reason", f.reason());
            return j;
        }).toList());
        m.put("elapsedSeconds", r.elapsed().toMillis() / 1000.0);
        m.put("keysPerSecond", Math.round(r.keysPerSecond()));
        m.put("clean", r.clean());
        return m;
    }
}
