package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.StepState;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class RedisClientsGateTest {
    @TempDir
    Path dir;

    /** A batch job's connection: a plain socket that names itself, as a job's Redis client would. */
    private static Socket client(int port, String name) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        out.write(("*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$" + name.length() + "\r\n" + name + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] ok = new byte[5];
        assertThat(in.readNBytes(ok, 0, 5)).isEqualTo(5);
        assertThat(new String(ok, StandardCharsets.UTF_8)).isEqualTo("+OK\r\n");
        return s;
    }

    /** Waits until a client of this name is connected (the job's bash has had time to name its connection). */
    private static void awaitNamed(int port, String name) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            for (int i = 0; i < 200; i++) {
                s.getOutputStream().write("CLIENT LIST\r\n".getBytes(StandardCharsets.UTF_8));
                byte[] buf = new byte[65536];
                int n = s.getInputStream().read(buf);
                if (new String(buf, 0, Math.max(n, 0), StandardCharsets.UTF_8).contains("name=" + name + " ")) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError(name + " never connected");
    }

    /** A batch job in a process of its own: bash holding a named connection open through /dev/tcp. */
    private static Process job(int port, String name) throws IOException {
        return new ProcessBuilder("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port
                + "; printf 'CLIENT SETNAME " + name + "\\r\\n' >&3; exec sleep 60 3<&3").start();
    }

    @Test
    void theGateOpensWhenTheLastJobHasLeftTheOldRedis() throws Exception {
        try (LocalRedisServer old = LocalRedisServer.start(RedisBinaries.redis62());
             // a connection of this very process, as an in-process live copy holds: never waited for
             Socket own = client(old.port(), "own-live-copy")) {
            Process monitor = job(old.port(), "monitor");
            Process job = job(old.port(), "batch-07");
            try {
            Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: night\n" + RunbookFiles.WINDOW + """
                    steps:
                      - id: drained
                        title: Every batch job has left the old Redis
                        owner: bob
                        gate: {redis_clients: "%s", max: 0, except: [monitor], every: 200ms}
                        timeout: 30s
                        planned: 5m
                    """.formatted(old.uri())));
            Runs run = new Runs(r);
            CompletableFuture<Integer> code = run.background();
            awaitNamed(old.port(), "batch-07");
            RunnerTest.awaitState(r, "drained", StepState.RUNNING);
            for (int i = 0; i < 400 && run.runner.record().step("drained").output().isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(run.runner.record().step("drained").output()).singleElement().asString()
                    .startsWith("1 client(s) left: batch-07@127.0.0.1:");
            job.destroy();
            assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo(0);
            RunRecord rec = Runs.last(r);
            assertThat(rec.step("drained").state()).isEqualTo(StepState.DONE);
            assertThat(rec.step("drained").output()).last().isEqualTo("0 client(s) left");
            } finally {
                monitor.destroy();
                job.destroy();
            }
        }
    }
}
