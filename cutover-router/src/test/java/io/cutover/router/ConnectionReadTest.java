package io.cutover.router;

import io.cutover.router.support.RawHttp;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import static io.cutover.router.support.RawHttp.get;
import static io.cutover.router.support.RawHttp.line;
import static io.cutover.router.support.RawHttp.readResponse;
import static io.cutover.router.support.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections read the way the event loop's end point reads them (read interest kept on between requests; on
 * backend connections no read when the last one emptied the socket): bytes that arrive at awkward moments must
 * still all be read. Plain sockets, so the test controls exactly when each byte is sent.
 */
class ConnectionReadTest {
    @TempDir
    Path dir;

    private RouterFixture router(TestBackend backend) {
        return new RouterFixture("""
                listen: 127.0.0.1:0
                backends:
                  app: {url: "%s"}
                default: app
                """.formatted(backend.url()), dir);
    }

    @Test
    void pipelinedRequestsInOneWriteAllGetTheirAnswersInOrder() throws Exception {
        try (TestBackend backend = new TestBackend("app"); RouterFixture r = router(backend); Socket s = connect(r)) {
            String body = "hello";
            send(s, get("/one") + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + get("/three"));
            assertThat(readResponse(s).body()).isEqualTo("app GET /one");
            assertThat(readResponse(s).body()).isEqualTo("app POST /two hello");
            assertThat(readResponse(s).body()).isEqualTo("app GET /three");
        }
    }

    @Test
    void aRequestSentWhileTheBackendIsStillAnsweringThePreviousOneIsAnswered() throws Exception {
        try (TestBackend backend = new TestBackend("app"); RouterFixture r = router(backend); Socket s = connect(r)) {
            send(s, get("/slow?ms=400"));
            assertThat(backend.slowStarted().await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            send(s, get("/next")); // arrives while nobody on the client connection is reading
            assertThat(readResponse(s).body()).isEqualTo("app GET /slow?ms=400");
            assertThat(readResponse(s).body()).isEqualTo("app GET /next");
            // and the connection still works for a request sent when it is idle again
            send(s, get("/last"));
            assertThat(readResponse(s).body()).isEqualTo("app GET /last");
        }
    }

    @Test
    void aClientThatClosesWhileTheBackendIsAnsweringLeavesTheRouterServing() throws Exception {
        try (TestBackend backend = new TestBackend("app"); RouterFixture r = router(backend)) {
            try (Socket s = connect(r)) {
                send(s, get("/slow?ms=300"));
                assertThat(backend.slowStarted().await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            } // closed before the answer
            try (Socket s = connect(r)) {
                send(s, get("/slow?ms=300"));
                s.shutdownOutput(); // half-closed: the answer must still arrive, then the connection ends
                assertThat(readResponse(s).body()).isEqualTo("app GET /slow?ms=300");
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(RouterFixture.eventually(Duration.ofSeconds(10), () -> r.router.inflight() == 0)).isTrue();
            assertThat(r.get("/after").body()).isEqualTo("app GET /after");
        }
    }

    @Test
    void aRequestTrickledInSeveralPacketsIsReadWhole() throws Exception {
        try (TestBackend backend = new TestBackend("app"); RouterFixture r = router(backend); Socket s = connect(r)) {
            String body = "a".repeat(1000) + "b".repeat(1000) + "c".repeat(1000);
            String request = "POST /trickle HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            for (int round = 0; round < 2; round++) { // twice: on a fresh connection and on a kept-alive one
                for (int at = 0; at < request.length(); at += 700) {
                    send(s, request.substring(at, Math.min(request.length(), at + 700)));
                    Thread.sleep(30);
                }
                assertThat(readResponse(s).body()).isEqualTo("app POST /trickle " + body);
            }
        }
    }

    @Test
    void manyRequestsAndALargeAnswerOnOneConnection() throws Exception {
        try (TestBackend backend = new TestBackend("app"); RouterFixture r = router(backend); Socket s = connect(r)) {
            for (int i = 0; i < 300; i++) {
                send(s, get("/n" + i));
                assertThat(readResponse(s).body()).isEqualTo("app GET /n" + i);
            }
            int bytes = 3 * 1024 * 1024; // many full-buffer reads from the backend
            send(s, get("/download?bytes=" + bytes) + get("/after"));
            RawHttp.Response big = readResponse(s);
            assertThat(big.status()).isEqualTo(200);
            assertThat(big.raw().length).isEqualTo(bytes);
            for (int i = 0; i < bytes; i += 4099) {
                assertThat(big.raw()[i]).isEqualTo((byte) (i % (64 * 1024)));
            }
            assertThat(readResponse(s).body()).isEqualTo("app GET /after");
        }
    }

    @Test
    void aHeadAnswerWithALengthButNoBodyEndsAndTheConnectionGoesOn() throws Exception {
        // the backend's Content-Length announces a body that never comes: the proxy must still end the answer
        try (TestBackend backend = new TestBackend("app"); RouterFixture r = router(backend); Socket s = connect(r)) {
            send(s, "HEAD /head HTTP/1.1\r\nHost: x\r\n\r\n" + get("/after"));
            InputStream in = s.getInputStream();
            assertThat(line(in)).startsWith("HTTP/1.1 200");
            long length = -1;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).trim());
                }
            }
            assertThat(length).isEqualTo("app HEAD /head".length());
            assertThat(readResponse(s).body()).isEqualTo("app GET /after");
        }
    }

    private static Socket connect(RouterFixture r) throws IOException {
        return RawHttp.connect(r.router.port());
    }
}
