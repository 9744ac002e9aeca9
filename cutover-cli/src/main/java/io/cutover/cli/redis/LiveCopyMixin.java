package io.cutover.cli.redis;

import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.progress.Progress;
import io.cutover.core.time.Durations;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.KeyFailure;
import io.cutover.redis.live.LiveCopy;
import io.cutover.redis.live.LiveMonitor;
import io.cutover.redis.live.LiveOptions;
import io.cutover.redis.live.LiveReport;
import io.cutover.redis.live.LiveStatus;
import io.cutover.cli.Cutover;
import io.cutover.cli.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The live-sync options of {@code cutover redis copy} ({@code --live}, {@code --until-idle},
 * {@code --enable-notifications}, {@code --max-pending}) and what copy does with them: keep the target current
 * until Ctrl-C / SIGTERM (every change made before it is copied first) or until nothing was pending for the idle time.
 */
public final class LiveCopyMixin {
    @Option(names = "--live", description = "After the copy, keep the target current from keyspace notifications "
            + "until Ctrl-C/SIGTERM or --until-idle (implies --replace).")
    boolean live;

    @Option(names = "--until-idle", paramLabel = "DURATION",
            description = "With --live: stop once nothing has been pending for this long (e.g. 10s).")
    String untilIdle;

    @Option(names = "--enable-notifications", description = "With --live: turn notify-keyspace-events on (KEA) without "
            + "asking when it is off; the old value is restored at exit.")
    boolean enableNotifications;

    @Option(names = "--max-pending", paramLabel = "N", defaultValue = "" + LiveOptions.DEFAULT_MAX_PENDING,
            description = "With --live: changed keys held in memory before a database is rescanned (default ${DEFAULT-VALUE}).")
    int maxPending;

    /** True when {@code --live} was given; the live-only options are refused without it. */
    boolean enabled() {
        if (!live && (untilIdle != null || enableNotifications)) {
            throw CutoverException.usage("--until-idle and --enable-notifications need --live");
        }
        return live;
    }

    LiveOptions options() {
        Duration idle = untilIdle == null ? null : Durations.parse(untilIdle, "--until-idle");
        return LiveOptions.defaults().withUntilIdle(idle).withMaxPending(maxPending);
    }

    /**
     * Runs the live copy, printing its summary to {@code w}; returns the exit code. When {@code spec}'s command is
     * not on the process's terminal the lag goes out as lines (which a runbook gate reads) and nothing is asked.
     */
    int run(RedisEndpoint source, RedisEndpoint target, CopyOptions copy, OutputFormat format, PrintWriter w,
            PrintWriter err, CommandLine.Model.CommandSpec spec) {
        LiveOptions liveOptions = options();
        LiveCopy copier = new LiveCopy(source, target, copy, liveOptions,
                monitor(format, err, Cutover.onTerminal(spec), Terminal.of(spec)));
        CountDownLatch printed = new CountDownLatch(1);
        // Ctrl-C / SIGTERM: copy every change made before it, print the summary, then let the JVM exit
        Thread hook = new Thread(() -> {
            try {
                copier.stopAfterCatchingUp(liveOptions.flushTimeout());
                copier.awaitFinished(liveOptions.flushTimeout().plusSeconds(5));
                printed.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cutover-live-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            LiveReport report = copier.run();
            if (format == OutputFormat.JSON) {
                w.println(Json.write(json(report)));
            } else {
                w.print(table(report));
            }
            w.flush();
            return report.clean() ? 0 : 1;
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running
            }
        }
    }

    /** How often the lag is written as a line where no terminal shows the progress line. */
    private static final long STATUS_LINE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private LiveMonitor monitor(OutputFormat format, PrintWriter err, boolean terminal, Optional<Terminal> questions) {
        return new LiveMonitor() {
            private long lastLine = System.nanoTime();

            // Without a terminal (a log, a runbook's gate on the lag) the progress line is not drawn, so the lag
            // goes out as its own line once a second; JSON output stays quiet.
            @Override
            public void status(LiveStatus status) {
                long now = System.nanoTime();
                if (terminal || format == OutputFormat.JSON || now - lastLine < STATUS_LINE_EVERY_NANOS) {
                    return;
                }
                lastLine = now;
                err.println("live: " + status.line());
                err.flush();
            }

            @Override
            public Progress progress(String label, long total) {
                return format == OutputFormat.JSON ? Progress.silent() : Progress.to(System.err, terminal, label, total);
            }

            @Override
            public void note(String message) {
                err.println((terminal ? "\r\033[K" : "") + "live: " + message);
                err.flush();
            }

            @Override
            public boolean allowEnablingNotifications(String question) {
                return enableNotifications || ask(questions, question);
            }
        };
    }

    /** Asks a yes/no question on the terminal; without one, refuses with the flag that answers it. */
    static boolean ask(Optional<Terminal> terminal, String question) {
        return terminal.orElseThrow(() -> CutoverException.usage(question.replaceAll("\\?$", "")
                + ": no terminal to ask; pass --enable-notifications to allow it")).confirm(question);
    }

    static String table(LiveReport r) {
        StringBuilder sb = new StringBuilder(CopyCommand.table(r.initial()));
        sb.append("live: ").append(r.events()).append(" events, ").append(r.recopied()).append(" keys copied again, ")
                .append(r.deleted()).append(" deleted, ").append(r.rescans()).append(" rescans, ").append(r.failed())
                .append(" failed\n");
        sb.append("lag: at most ").append(r.maxPending()).append(" keys pending, oldest change ")
                .append(Durations.format(Duration.ofMillis(r.maxLagMillis()))).append("; ended by ").append(r.endedBy())
                .append(" with ").append(r.pendingAtEnd()).append(" pending after ")
                .append(Durations.format(r.elapsed())).append('\n');
        sb.append("notifications: ").append(r.notifications()).append('\n');
        for (KeyFailure f : r.failures()) {
            sb.append("  failed: db ").append(f.db()).append(' ').append(f.key()).append(": ").append(f.reason()).append('\n');
        }
        return sb.toString();
    }

    static Map<String, Object> json(LiveReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("initial", CopyCommand.json(r.initial()));
        m.put("notifications", r.notifications());
        m.put("events", r.events());
        m.put("recopied", r.recopied());
        m.put("deleted", r.deleted());
        m.put("rescans", r.rescans());
        m.put("failed", r.failed());
        m.put("failures", r.failures());
        m.put("maxPending", r.maxPending());
        m.put("maxLagMs", r.maxLagMillis());
        m.put("pendingAtEnd", r.pendingAtEnd());
        m.put("endedBy", r.endedBy());
        m.put("notes", r.notes());
        m.put("elapsedSeconds", r.elapsed().toMillis() / 1000.0);
        m.put("clean", r.clean());
        return m;
    }
}
