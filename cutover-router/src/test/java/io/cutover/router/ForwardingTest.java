package io.cutover.router;

import io.cutover.router.support.RawHttp;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.ScriptedBackend;
import io.cutover.router.support.ScriptedBackend.Answer;
import io.cutover.router.support.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;

import static io.cutover.router.support.RawHttp.get;
import static io.cutover.router.support.RawHttp.readResponse;
import static io.cutover.router.support.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Plain requests are forwarded by the client connection itself, passing the backend's bytes through; these are the
 * answers and requests where that path has to get the protocol right on its own, or hand the connection over to
 * the handler chain.
 */
class ForwardingTest {
    @TempDir
    Path dir;

    private RouterFixture router(String backendUrl) {
        return new RouterFixture("""
                listen: 127.0.0.1:0
                backends:
                  app: {url: "%s", timeout: 2s}
                default: app
                """.formatted(backendUrl), dir);
    }

    private static Answer ok(String body, String... headers) {
        return new Answer("HTTP/1.1 200 OK\r\n" + String.join("", headers) + "Content-Length: " + body.length() + "\r\n\r\n" + body, false);
    }

    @Test
    void theRequestHeadGoesOnWithForwardedHeadersThePathPrefixAndNoHopByHopHeaders() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> ok("ok"));
             RouterFixture r = router(backend.url() + "/base/"); Socket s = RawHttp.connect(r.router.port())) {
            send(s, "GET /p/q?a=1&b=%2F HTTP/1.1\r\nHost: shop.example\r\nConnection: keep-alive, X-Drop\r\nX-Drop: 1\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nX-Forwarded-For: 10.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                    + "Accept: */*\r\n\r\n");
            assertThat(readResponse(s).body()).isEqualTo("ok");
            String head = backend.heads().get(0);
            assertThat(head).startsWith("GET /base/p/q?a=1&b=%2F HTTP/1.1\r\n")
                    .contains("Host: shop.example\r\n", "Accept: */*\r\n", "X-Forwarded-For: 127.0.0.1\r\n",
                            "X-Forwarded-Proto: http\r\n", "X-Forwarded-Host: shop.example\r\n")
                    .doesNotContain("X-Drop", "Keep-Alive", "Connection", "TE:", "https", "10.0.0.1");
        }
    }

    @Test
    void hopByHopHeadersOfTheAnswerAreDroppedAndTheOthersPassAsSent() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> ok("ok", "Connection: X-Trace\r\n", "X-Trace: 1\r\n",
                "Keep-Alive: timeout=5\r\n", "X-Kept: Mixed-Case value\r\n"));
             RouterFixture r = router(backend.url()); Socket s = RawHttp.connect(r.router.port())) {
            for (int i = 0; i < 2; i++) { // and the connection to the client goes on
                send(s, get("/h" + i));
                RawHttp.Response answer = readResponse(s);
                assertThat(answer.body()).isEqualTo("ok");
                assertThat(answer.headers()).containsEntry("x-kept", "Mixed-Case value")
                        .doesNotContainKeys("x-trace", "keep-alive", "connection");
            }
        }
    }

    @Test
    void aBodyThatEndsWithTheBackendsConnectionReachesTheClientWhichIsThenClosed() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> new Answer("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", true));
             RouterFixture r = router(backend.url()); Socket s = RawHttp.connect(r.router.port())) {
            send(s, get("/eof"));
            RawHttp.Response answer = readResponse(s); // no length: read to the end of the connection
            assertThat(answer.headers()).containsEntry("connection", "close");
            assertThat(answer.body()).isEqualTo("all of it");
            assertThat(r.get("/next").body()).isEqualTo("all of it");
        }
    }

    @Test
    void aBackendThatClosesEachKeptAliveConnectionAfterItsAnswerStillAnswersEveryRequest() throws Exception {
        // it never says Connection: close, so the router pools each connection and finds it closed when it reuses
        // it (or just before): the request goes out again on a new connection
        try (ScriptedBackend backend = new ScriptedBackend(line -> new Answer(ok(line).bytes(), true));
             RouterFixture r = router(backend.url()); Socket s = RawHttp.connect(r.router.port())) {
            for (int i = 0; i < 30; i++) {
                send(s, get("/n" + i));
                RawHttp.Response answer = readResponse(s);
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("GET /n" + i + " HTTP/1.1");
            }
            assertThat(backend.connections()).isGreaterThanOrEqualTo(30);
        }
    }

    @Test
    void anInterimAnswerIsPassedOnBeforeTheFinalOne() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> new Answer(
                "HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n" + ok("final").bytes(), false));
             RouterFixture r = router(backend.url()); Socket s = RawHttp.connect(r.router.port())) {
            send(s, get("/hints"));
            RawHttp.Response early = readResponse(s);
            assertThat(early.status()).isEqualTo(103);
            assertThat(early.headers()).containsEntry("link", "</app.css>; rel=preload");
            assertThat(readResponse(s).body()).isEqualTo("final");
        }
    }

    @Test
    void anAnswerHeadTooLargeForTheRouterIsA502AndTheClientConnectionGoesOn() throws Exception {
        String huge = "X-Huge: " + "h".repeat(40_000) + "\r\n"; // max_response_head is 32KB
        try (ScriptedBackend backend = new ScriptedBackend(line -> line.contains("/huge") ? ok("never", huge) : ok("small"));
             RouterFixture r = router(backend.url()); Socket s = RawHttp.connect(r.router.port())) {
            send(s, get("/huge"));
            RawHttp.Response answer = readResponse(s);
            assertThat(answer.status()).isEqualTo(502);
            assertThat(answer.body()).contains("route 'default' → backend 'app' sent a head larger than limits.max_response_head");
            send(s, get("/small"));
            assertThat(readResponse(s).body()).isEqualTo("small");
            assertThat(r.metric("cutover_router_requests_seconds_count{backend=\"app\",route=\"default\",status=\"5xx\"}")).isEqualTo(1.0);
        }
    }

    @Test
    void requestsTheConnectionDoesNotForwardItselfAreServedByTheHandlerChainInOrder() throws Exception {
        try (TestBackend backend = new TestBackend("app"); RouterFixture r = router(backend.url())) {
            try (Socket s = RawHttp.connect(r.router.port())) {
                // forwarded, then an encoded path (handed over with its bytes), then plain again on the same connection
                send(s, get("/a") + get("/caf%C3%A9") + get("/d"));
                assertThat(readResponse(s).body()).isEqualTo("app GET /a");
                assertThat(readResponse(s).body()).isEqualTo("app GET /caf%C3%A9");
                assertThat(readResponse(s).body()).isEqualTo("app GET /d");
            }
            try (Socket s = RawHttp.connect(r.router.port())) {
                // what Java's HttpClient sends by default: an h2c upgrade the router declines, answering in HTTP/1.1
                send(s, "GET /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n\r\n" + get("/after-up"));
                RawHttp.Response up = readResponse(s);
                assertThat(up.status()).isEqualTo(200);
                assertThat(up.body()).isEqualTo("app GET /up");
                assertThat(readResponse(s).body()).isEqualTo("app GET /after-up");
            }
            try (Socket s = RawHttp.connect(r.router.port())) {
                send(s, "GET /old HTTP/1.0\r\n\r\n");
                RawHttp.Response answer = readResponse(s);
                assertThat(answer.body()).isEqualTo("app GET /old");
            }
            try (Socket s = RawHttp.connect(r.router.port())) {
                send(s, "GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(readResponse(s).body()).isEqualTo("app GET /bye");
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aMalformedRequestIsRefusedByTheHandlerChainAndReachesNoBackend() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> ok("ok"));
             RouterFixture r = router(backend.url()); Socket s = RawHttp.connect(r.router.port())) {
            send(s, "GET /x HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n");
            assertThat(readResponse(s).status()).isEqualTo(400);
            assertThatThrownBy(() -> readResponse(s)).isInstanceOf(java.io.IOException.class); // closed after the 400
            assertThat(backend.heads()).isEmpty();
        }
    }

    @Test
    void anUpgradeTheBackendDeclinesIsAnOrdinaryAnswerAndTheConnectionGoesOn() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> line.contains("/ws")
                ? new Answer("HTTP/1.1 426 Upgrade Required\r\nContent-Length: 4\r\n\r\nnope", false) : ok("plain"));
             RouterFixture r = router(backend.url()); Socket s = RawHttp.connect(r.router.port())) {
            send(s, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            RawHttp.Response declined = readResponse(s);
            assertThat(declined.status()).isEqualTo(426);
            assertThat(declined.body()).isEqualTo("nope");
            assertThat(backend.heads().get(0)).contains("Upgrade: websocket\r\n", "Connection: upgrade\r\n",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
            send(s, get("/after"));
            assertThat(readResponse(s).body()).isEqualTo("plain");
            assertThat(r.metric("cutover_router_tunnels_open")).isEqualTo(0.0);
        }
    }

    @Test
    void anH2cUpgradeAsJavasHttpClientSendsIsAnOrdinaryRequest() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> ok("plain"));
             RouterFixture r = router(backend.url())) {
            java.net.http.HttpClient h2 = java.net.http.HttpClient.newHttpClient(); // HTTP/2 preferred: Upgrade: h2c on http://
            java.net.http.HttpResponse<String> res = h2.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(r.url("/h2c"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).isEqualTo("plain");
            assertThat(res.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            assertThat(backend.heads().get(0)).doesNotContainIgnoringCase("upgrade").doesNotContainIgnoringCase("http2-settings");
        }
    }
}
