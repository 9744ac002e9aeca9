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
 * An old Redis 6.2 with four batch jobs writing over named connections, a new Redis; the runbook keeps the new
 * instance current with a live copy, waits on a gate until its lag is under a second, stops the jobs, waits on a
 * gate until no client is left on the old instance, has the switch confirmed by a (simulated) operator and runs
 * {@code redis switch} (writes paused, last changes copied and verified, DNS "switched"), verifies key by key and
 * starts the jobs against the new instance. It ends with the planned-vs-actual table; the control-room URL is
 * printed while it runs.
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
            writeJobScript(dir);
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
            out.println();
            out.println("what redis switch said (the last lines of its output):");
            List<String> said = rec.step("switch").output();
            said.subList(Math.max(0, said.size() - 12), said.size()).forEach(l -> out.println("  " + l));
            return code;
        } finally {
            started.forEach(Process::destroyForcibly);
            stopJobs(dir);
        }
    }

    /** The operator of the demo: confirms the switch a second after it asks. */
    private static void operate(Runner runner) {
        try {
            while (true) {
                RunRecord rec = runner.record();
                StepRun sw = rec.step("switch");
                if (sw.state() == StepState.WAITING && sw.confirmedBy() == null) {
                    Thread.sleep(1000);
                    runner.decide(new Decision(Decision.Action.CONFIRM, "switch", "operator"));
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

    /**
     * A batch job: a process of its own holding a connection named after it and writing to it (an INCR of its run
     * counter five times a second, so that the live copy has changes to follow), its pid in jobs/NAME.pid.
     */
    private static Process job(Path dir, String name, int port) throws IOException {
        Process p = new ProcessBuilder(dir.resolve("job.sh").toString(), name, Integer.toString(port))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Files.writeString(dir.resolve("jobs").resolve(name + ".pid"), p.pid() + "\n");
        return p;
    }

    /** job.sh NAME PORT: the batch job, in bash alone (its replies are read and dropped so that none piles up). */
    private static void writeJobScript(Path dir) throws IOException {
        Path f = dir.resolve("job.sh");
        Files.writeString(f, """
                #!/bin/bash
                exec 3<>/dev/tcp/127.0.0.1/$2
                printf 'CLIENT SETNAME %s\\r\\n' "$1" >&3
                cat <&3 >/dev/null &
                trap 'kill $! 2>/dev/null; exit 0' TERM
                while true; do printf 'INCR jobs:%s:runs\\r\\n' "$1" >&3; sleep 0.2; done
                """);
        f.toFile().setExecutable(true);
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
                  - id: sync
                    title: Keep the new Redis current (live copy)
                    owner: carol
                    phase: copy
                    after: []
                    cutover: "redis copy --source ${OLD} --target ${NEW} --live --until-idle 2s --enable-notifications"
                    planned: 10s
                  - id: caught-up
                    title: Live copy lag under a second
                    owner: carol
                    phase: copy
                    after: []
                    gate: {redis_lag: sync, max: 1s, every: 500ms}
                    timeout: 20s
                    planned: 5s
                    on_failure: continue
                  - id: stop-batch
                    title: Stop batch job ${item}
                    owner: bob
                    phase: drain
                    after: [caught-up]
                    for_each: batch-jobs.txt
                    shell: "kill $(cat jobs/${item}.pid)"
                    planned: 5s
                  - id: drained
                    title: No client left on the old Redis
                    owner: bob
                    phase: drain
                    after: [stop-batch]
                    gate: {redis_clients: "${OLD}", max: 0, every: 500ms}
                    timeout: 1m
                    planned: 10s
                  - id: switch
                    title: Switch to the new Redis (pause, last changes, verify, DNS)
                    owner: alice
                    phase: switch
                    after: [drained, sync]
                    cutover: "redis switch --source ${OLD} --target ${NEW} --yes --enable-notifications --pause-timeout 10s --clients-timeout 2s --switch-command 'echo DNS redis.internal now points at ${NEW}'"
                    confirm: true
                    point_of_no_return: true
                    planned: 10s
                  - id: verify
                    title: Verify old and new key by key
                    owner: carol
                    phase: switch
                    cutover: "redis verify --source ${OLD} --target ${NEW}"
                    planned: 10s
                  - id: start-new
                    title: Start batch job ${item} on the new Redis
                    owner: bob
                    phase: restart
                    after: [verify]
                    for_each: batch-jobs.txt
                    shell: "./job.sh ${item} %d > /dev/null 2>&1 & echo $! > jobs/${item}.pid"
                    planned: 5s
                """.formatted(start, start.plusMinutes(30), old.uri(), fresh.uri(), fresh.port());
        Path file = dir.resolve("redis-upgrade.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
