package io.cutover.demo;

import io.cutover.core.command.CommandRunner;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.RunbookLoader;
import io.cutover.runbook.report.RunText;
import io.cutover.runbook.run.RunOptions;
import io.cutover.runbook.run.Runner;
import io.cutover.runbook.state.Decision;
import io.cutover.runbook.state.RunKind;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StepRun;
import io.cutover.runbook.state.StepState;
import io.cutover.runbook.timeline.Estimates;
import io.cutover.runbook.ui.ControlRoom;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * The runbook act of {@code cutover demo}: the Redis upgrade night of the 10 apps and 40 batch jobs, in small.
 * An old Redis 6.2 with four batch jobs holding named connections, a new Redis; the runbook stops the jobs,
 * waits on a gate until no client is left on the old instance, copies and verifies with the real commands, has
 * the switch confirmed and done by a (simulated) operator, and starts the jobs against the new instance. It ends
 * with the planned-vs-actual table; the control-room URL is printed while it runs.
 */
public final class RunbookDemoAct implements DemoAct {
    private static final List<String> JOBS = List.of("job-01", "job-02", "job-03", "job-04");
    private final CommandRunner cutover;

    /** {@code cutover} runs the runbook's cutover: steps. */
    public RunbookDemoAct(CommandRunner cutover) {
        this.cutover = cutover;
    }

    @Override
    public String name() {
        return "runbook";
    }

    @Override
    public int run(PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("cutover-runbook-demo");
        Files.createDirectory(dir.resolve("jobs"));
        List<Process> started = new ArrayList<>();
        try (LocalRedisServer old = LocalRedisServer.start(RedisBinaries.redis62());
             LocalRedisServer fresh = LocalRedisServer.start(RedisBinaries.any())) {
            fill(old);
            for (String job : JOBS) {
                started.add(job(dir, job, old.port()));
            }
            Path file = write(dir, old, fresh);
            out.println("old redis " + old.uri() + " with " + JOBS.size() + " batch jobs connected, new redis " + fresh.uri());
            out.println("runbook: " + file);
            out.println();
            Runbook r = RunbookLoader.fromSystem(Map.of()).load(file);
            Runner runner = new Runner(r, new RunOptions(RunKind.REHEARSAL, null, java.util.Set.of(), null, false, "demo"),
                    cutover, out, Clock.systemUTC());
            int code;
            try (ControlRoom room = ControlRoom.start(runner, "127.0.0.1:0")) {
                out.println("control room: " + room.url() + "?token=" + room.token());
                Thread operator = new Thread(() -> operate(runner), "demo-operator");
                operator.setDaemon(true);
                operator.start();
                code = runner.run();
            }
            RunRecord rec = runner.record();
            out.println();
            out.print(RunText.status(r, rec, Estimates.of(r, runner.history()), Instant.now()));
            return code;
        } finally {
            started.forEach(Process::destroyForcibly);
            stopJobs(dir);
        }
    }

    /** The operator of the demo: confirms the switch, then marks it done, a second later each. */
    private static void operate(Runner runner) {
        try {
            while (true) {
                RunRecord rec = runner.record();
                StepRun sw = rec.step("switch");
                if (sw.state() == StepState.WAITING && sw.confirmedBy() == null) {
                    Thread.sleep(1000);
                    runner.decide(new Decision(Decision.Action.CONFIRM, "switch", "operator"));
                } else if (sw.state() == StepState.RUNNING) {
                    Thread.sleep(1000);
                    runner.decide(new Decision(Decision.Action.DONE, "switch", "operator"));
                    return;
                } else if (sw.state().finished() || rec.finishedAt() != null) {
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fill(LocalRedisServer old) {
        try (RedisEndpoint e = new RedisEndpoint(RedisUri.parse(old.uri(), null, "old"), "old")) {
            Map<byte[], byte[]> m = new LinkedHashMap<>();
            for (int i = 0; i < 5000; i++) {
                m.put(("session:" + i).getBytes(StandardCharsets.UTF_8), ("user-" + (i % 977)).getBytes(StandardCharsets.UTF_8));
            }
            e.connect().sync().mset(m);
        }
    }

    /** A batch job: a process of its own holding a connection named after it, its pid in jobs/NAME.pid. */
    private static Process job(Path dir, String name, int port) throws IOException {
        Process p = new ProcessBuilder("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port + "; printf 'CLIENT SETNAME "
                + name + "\\r\\n' >&3; exec sleep 600 3<&3").start();
        Files.writeString(dir.resolve("jobs").resolve(name + ".pid"), p.pid() + "\n");
        return p;
    }

    private static void stopJobs(Path dir) {
        try (var files = Files.list(dir.resolve("jobs"))) {
            for (Path f : files.toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(f).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // the demo's directory is temporary; what is left there ends with its sleep
        }
    }

    private static Path write(Path dir, LocalRedisServer old, LocalRedisServer fresh) throws IOException {
        Files.writeString(dir.resolve("batch-jobs.txt"), String.join("\n", JOBS) + "\n");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        String yaml = """
                name: redis-upgrade
                window: {start: "%s", end: "%s"}
                vars:
                  OLD: "%s"
                  NEW: "%s"
                steps:
                  - id: stop-batch
                    title: Stop batch job ${item}
                    owner: bob
                    for_each: batch-jobs.txt
                    shell: "kill $(cat jobs/${item}.pid)"
                    planned: 5s
                  - id: drained
                    title: No client left on the old Redis
                    owner: bob
                    gate: {redis_clients: "${OLD}", max: 0, every: 500ms}
                    timeout: 1m
                    planned: 10s
                  - id: copy
                    title: Copy the keyspace to the new Redis
                    owner: carol
                    cutover: "redis copy --source ${OLD} --target ${NEW} --replace"
                    planned: 10s
                  - id: verify
                    title: Verify old and new key by key
                    owner: carol
                    cutover: "redis verify --source ${OLD} --target ${NEW}"
                    planned: 10s
                  - id: switch
                    title: Point the DNS name at the new Redis
                    owner: alice
                    manual: "Change the Route53 record redis.internal to the new instance"
                    confirm: true
                    point_of_no_return: true
                    planned: 5s
                  - id: start-new
                    title: Start batch job ${item} on the new Redis
                    owner: bob
                    for_each: batch-jobs.txt
                    shell: "bash -c 'exec 3<>/dev/tcp/127.0.0.1/%d; printf \\"CLIENT SETNAME ${item}\\\\r\\\\n\\" >&3; exec sleep 600 3<&3' >/dev/null 2>&1 & echo $! > jobs/${item}.pid"
                    planned: 5s
                """.formatted(start, start.plusMinutes(30), old.uri(), fresh.uri(), fresh.port());
        Path file = dir.resolve("redis-upgrade.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
