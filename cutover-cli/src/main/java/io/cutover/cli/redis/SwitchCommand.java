package io.cutover.cli.redis;

import io.cutover.cli.Cutover;
import io.cutover.cli.Terminal;
import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.progress.Progress;
import io.cutover.core.time.Durations;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.keys.KeyText;
import io.cutover.redis.switchover.PauseMode;
import io.cutover.redis.switchover.RedisSwitch;
import io.cutover.redis.switchover.SwitchOperator;
import io.cutover.redis.switchover.SwitchOptions;
import io.cutover.redis.switchover.SwitchReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code cutover redis switch}: moves clients from the source to the target without split writes — live copy, pause
 * source writes, drain and verify, instruction to switch, release, watch clients drain. Exit 0 switched and clean,
 * 1 switched with clients left (or not switched because keys differed), 2 usage, 3 failure or abort (pause released).
 */
@Command(name = "switch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Switch clients to the target without split writes: live copy, pause source writes "
                + "(CLIENT PAUSE), copy the last changes and verify them, tell you to switch, release, watch clients drain.")
public final class SwitchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    SourceOption source;

    @Mixin
    TargetOption target;

    @Mixin
    SelectionOptions selection;

    @Option(names = "--pause-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Longest time source writes stay paused; the server lifts the pause itself then (default ${DEFAULT-VALUE}).")
    String pauseTimeout;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long the live copy may take to catch up, before and during the pause (default ${DEFAULT-VALUE}).")
    String drainTimeout;

    @Option(names = "--clients-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to watch clients leave the source after the switch (default ${DEFAULT-VALUE}).")
    String clientsTimeout;

    @Option(names = "--ignore-client", paramLabel = "NAME_OR_ADDR",
            description = "A client (name, host or host:port) not to wait for (repeatable).")
    List<String> ignore;

    @Option(names = "--switch-command", paramLabel = "CMD",
            description = "Run this (sh -c) to point clients at the target instead of asking; exit 0 means switched.")
    String switchCommand;

    @Option(names = "--pause-mode", paramLabel = "auto|write|all", defaultValue = "auto",
            description = "write: CLIENT PAUSE … WRITE (6.2+); all: CLIENT PAUSE of every command (3.0–6.0, our reads "
                    + "too); auto picks (default).")
    PauseMode pauseMode;

    @Option(names = "--no-pause", description = "Switch without pausing (2.8 has no CLIENT PAUSE): you make sure nothing "
            + "writes to the source; a lock or counter can be split otherwise.")
    boolean noPause;

    @Option(names = "--keep-clients", description = "Don't disconnect the clients still on the source when the pause is "
            + "released (by default they are, with CLIENT KILL, so a command they sent can't run there unseen); what "
            + "they write there afterwards is reported as written late (exit 1).")
    boolean keepClients;

    @Option(names = "--yes", description = "Don't ask: start the switch and turn keyspace notifications on if needed.")
    boolean yes;

    @Option(names = "--enable-notifications", description = "Turn notify-keyspace-events on (KEA) without asking; "
            + "restored at exit.")
    boolean enableNotifications;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "Output format.")
    String format;

    @Mixin
    TlsOption tls;

    @Override
    public Integer call() {
        OutputFormat out = OutputFormat.parse(format);
        RedisUri sourceUri = source.uri();
        RedisUri targetUri = target.uri();
        if (noPause && pauseMode != PauseMode.AUTO) {
            throw CutoverException.usage("--no-pause and --pause-mode go against each other");
        }
        SwitchOptions options = new SwitchOptions(Durations.parse(pauseTimeout, "--pause-timeout"),
                Durations.parse(drainTimeout, "--drain-timeout"), Durations.parse(clientsTimeout, "--clients-timeout"),
                ignore, noPause ? PauseMode.NONE : pauseMode, SwitchOptions.defaults().verifyLimit(), keepClients);
        CopyOptions copy = CopyOptions.defaults().withSelection(selection.selection()).withDbMapping(selection.dbMapping());
        var tlsOptions = tls.options();
        Optional<Terminal> terminal = Terminal.of(spec);
        PrintWriter err = spec.commandLine().getErr();
        if (switchCommand == null && terminal.isEmpty()) {
            throw CutoverException.usage("no terminal to confirm the switch on: give --switch-command");
        }
        if (!yes) {
            boolean confirmed = terminal.orElseThrow(() -> CutoverException.usage(
                    "no terminal to ask before pausing the source's writers: pass --yes")).confirm(String.format(
                    "pause writes on %s for up to %s and switch clients to %s?", sourceUri.address(),
                    Durations.format(options.pauseTimeout()), targetUri.address()));
            if (!confirmed) {
                throw CutoverException.usage("switch not confirmed; nothing was done");
            }
        }
        SwitchReport report;
        try (RedisEndpoint src = source.endpoint(tlsOptions);
             RedisEndpoint dst = target.endpoint(tlsOptions)) {
            report = new RedisSwitch(src, dst, copy, options, operator(out, err, terminal)).run();
        }
        PrintWriter w = spec.commandLine().getOut();
        if (out == OutputFormat.JSON) {
            w.println(Json.write(json(report)));
        } else {
            w.print(table(report));
        }
        w.flush();
        return report.clean() ? 0 : 1;
    }

    private SwitchOperator operator(OutputFormat out, PrintWriter err, Optional<Terminal> terminal) {
        return new SwitchOperator() {
            @Override
            public void step(String done, Duration took) {
                err.println("switch: " + done + " (" + Durations.format(took) + ")");
                err.flush();
            }

            @Override
            public void note(String message) {
                err.println("switch: " + message);
                err.flush();
            }

            @Override
            public Progress progress(String label, long total) {
                return out == OutputFormat.JSON ? Progress.silent() : Cutover.progress(spec, label, total);
            }

            @Override
            public boolean allowEnablingNotifications(String question) {
                return yes || enableNotifications || LiveCopyMixin.ask(terminal, question);
            }

            @Override
            public boolean switchClients(String instruction, Instant pauseEnds) {
                String until = pauseEnds == null ? "" : " (writes stay paused until " + pauseEnds + ")";
                err.println(">>> " + instruction + until);
                err.flush();
                if (switchCommand != null) {
                    return runSwitchCommand(err);
                }
                String answer = terminal.orElseThrow().readLine( // checked at the start: no switch command, a terminal
                        ">>> type 'switched' once clients point at the target, 'abort' to call it off: ");
                return answer != null && answer.trim().equalsIgnoreCase("switched");
            }
        };
    }

    /**
     * Runs --switch-command with its output copied line by line to the command's error stream, not inherited: a
     * runbook step that runs the switch in-process keeps what the switch command said with the rest of its output.
     */
    private boolean runSwitchCommand(PrintWriter err) {
        try {
            Process p = new ProcessBuilder("sh", "-c", switchCommand).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            Thread copier = new Thread(() -> copyLines(p.getInputStream(), err), "cutover-switch-command-output");
            copier.setDaemon(true);
            copier.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                err.println("switch: --switch-command did not finish within 10 minutes");
                return false;
            }
            copier.join(TimeUnit.SECONDS.toMillis(5)); // the rest of its output, unless a child it left holds the pipe
            if (p.exitValue() != 0) {
                err.println("switch: --switch-command exited with " + p.exitValue());
                return false;
            }
            return true;
        } catch (IOException e) {
            err.println("switch: cannot run --switch-command: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void copyLines(java.io.InputStream in, PrintWriter err) {
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            }
        } catch (IOException e) {
            // the process is gone; what it wrote so far was copied
        }
    }

    static String table(SwitchReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.switched() ? "switched" : "NOT switched").append(" (pause: ").append(r.pauseMode().name().toLowerCase())
                .append(", writes paused ").append(Durations.format(r.writesPaused())).append(")\n");
        for (SwitchReport.Step s : r.steps()) {
            sb.append(String.format("  %8s  %s%n", Durations.format(s.took()), s.done()));
        }
        sb.append("verified: ").append(r.verifiedKeys().isEmpty() ? "all selected keys" : r.verifiedKeys().getAsLong() + " changed keys")
                .append(", ").append(r.differences().size()).append(" differences\n");
        r.differences().stream().limit(20).forEach(d -> sb.append("  ").append(d).append('\n'));
        long late = r.lateWrites().size() + r.lateWritesNotListed();
        if (late > 0) {
            sb.append("written on the source after the switch: ").append(late).append(" keys (conflicts)\n");
            r.lateWrites().stream().limit(100).forEach(w -> sb.append("  ").append(w.describe()).append('\n'));
            if (late > Math.min(100, r.lateWrites().size())) {
                sb.append("  … ").append(late - Math.min(100, r.lateWrites().size())).append(" more\n");
            }
        }
        if (r.pauseRanOut()) {
            sb.append("the pause ran out before the switch was confirmed: the source took writes again meanwhile\n");
        }
        if (r.drain() != null && !r.drain().drained()) {
            sb.append("still connected to the source:\n").append(r.drain().remaining().table());
        }
        return sb.toString();
    }

    static Map<String, Object> json(SwitchReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("switched", r.switched());
        m.put("pauseMode", r.pauseMode().name().toLowerCase());
        m.put("writesPausedMs", r.writesPaused().toMillis());
        m.put("steps", r.steps().stream().map(s -> Map.of("done", s.done(), "tookMs", s.took().toMillis())).toList());
        m.put("verified", r.verifiedKeys().isEmpty() ? "all_selected_keys" : "changed_keys");
        m.put("verifiedKeys", r.verifiedKeys().isEmpty() ? null : r.verifiedKeys().getAsLong());
        m.put("differences", r.differences());
        m.put("pauseRanOut", r.pauseRanOut());
        m.put("disconnected", r.disconnected());
        m.put("lateWrites", r.lateWrites().stream().map(w -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("db", w.db());
            KeyText.putJson(j, "key", w.key());
            j.put("event", w.lastEvent());
            j.put("outcome", w.outcome().name().toLowerCase());
            if (!w.reason().isEmpty()) {
                j.put("reason", w.reason());
            }
            return j;
        }).toList());
        m.put("lateWritesNotListed", r.lateWritesNotListed());
        if (r.drain() != null) {
            m.put("drained", r.drain().drained());
            m.put("clientsLeft", r.drain().remaining().groups());
        }
        if (r.live() != null) {
            m.put("live", LiveCopyMixin.json(r.live()));
        }
        m.put("clean", r.clean());
        return m;
    }
}
