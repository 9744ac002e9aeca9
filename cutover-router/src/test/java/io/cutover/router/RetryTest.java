package io.cutover.router;

import io.cutover.router.support.RawHttp;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.ScriptedBackend;
import io.cutover.router.support.ScriptedBackend.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;

import static io.cutover.router.support.RawHttp.readResponse;
import static io.cutover.router.support.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/** A request is sent twice only when a kept-alive connection was closed under it before any answer; counted at the backend. */
class RetryTest {
    @TempDir
    Path dir;

    private RouterFixture router(ScriptedBackend backend) {
        return new RouterFixture("""
                listen: 127.0.0.1:0
                backends:
                  app: {url: "%s", timeout: 500ms}
                default: app
                """.formatted(backend.url()), dir);
    }

    private static Answer ok(String body, boolean close) {
        return new Answer("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, close);
    }

    private static long count(ScriptedBackend b, String path) {
        return b.heads().stream().filter(h -> h.startsWith("GET " + path + " ") || h.startsWith("POST " + path + " ")).count();
    }

    @Test
    void aBackendThatNeverAnswersGetsTheRequestOnceAndTheClientA504AfterOneTimeout() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> {
            if (line.contains("/hang")) {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException ignored) {
                    // closing
                }
            }
            return ok("ok", false);
        }); RouterFixture r = router(backend); Socket s = RawHttp.connect(r.router.port())) {
            send(s, RawHttp.get("/warm")); // the hang then comes on a pooled connection
            assertThat(readResponse(s).status()).isEqualTo(200);
            long start = System.nanoTime();
            send(s, RawHttp.get("/hang"));
            RawHttp.Response answer = readResponse(s);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.status()).isEqualTo(504);
            assertThat(answer.body()).isEqualTo("504 Gateway Timeout: route 'default' → backend 'app' timed out\n");
            assertThat(tookMs).as("one timeout, not two").isLessThan(1000);
            Thread.sleep(700); // a second attempt would have arrived by now
            assertThat(count(backend, "/hang")).isEqualTo(1);
            assertThat(r.metric("cutover_router_own_answers_total{reason=\"backend_timeout\",status=\"504\"}")).isEqualTo(1.0);
        }
    }

    @Test
    void aFreshConnectionClosedBeforeTheAnswerIsNotSentAgain() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> new Answer("", true));
             RouterFixture r = router(backend); Socket s = RawHttp.connect(r.router.port())) {
            send(s, RawHttp.get("/once"));
            RawHttp.Response answer = readResponse(s);
            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.body()).isEqualTo("502 Bad Gateway: route 'default' → backend 'app' failed before answering\n");
            Thread.sleep(300);
            assertThat(count(backend, "/once")).isEqualTo(1);
            assertThat(backend.connections()).isEqualTo(1);
        }
    }

    @Test
    void pooledConnectionsTheBackendClosedAfterItsAnswerCarryEveryRequestOnce() throws Exception {
        // the backend closes each connection after answering, without saying Connection: close
        try (ScriptedBackend backend = new ScriptedBackend(line -> ok(line, true));
             RouterFixture r = router(backend); Socket s = RawHttp.connect(r.router.port())) {
            for (int i = 0; i < 20; i++) {
                send(s, RawHttp.get("/p" + i));
                RawHttp.Response answer = readResponse(s);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("GET /p" + i + " HTTP/1.1");
            }
            for (int i = 0; i < 20; i++) {
                assertThat(count(backend, "/p" + i)).as("/p" + i).isEqualTo(1);
            }
        }
    }

    @Test
    void aNonIdempotentRequestIsNeverSentAgain() throws Exception {
        // the first POST is answered on a connection the backend then closes: the second finds it closed
        try (ScriptedBackend backend = new ScriptedBackend(line -> ok("ok", true));
             RouterFixture r = router(backend); Socket s = RawHttp.connect(r.router.port())) {
            int ok = 0;
            for (int i = 0; i < 10; i++) {
                send(s, "POST /post" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
                if (readResponse(s).status() == 200) {
                    ok++;
                }
            }
            assertThat(ok).isGreaterThan(0);
            for (int i = 0; i < 10; i++) {
                assertThat(count(backend, "/post" + i)).as("/post" + i).isLessThanOrEqualTo(1);
            }
        }
    }
}
