package io.cutover.router;

import io.cutover.router.support.RawHttp;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.ScriptedBackend;
import io.cutover.router.support.ScriptedBackend.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.cutover.router.support.RawHttp.readResponse;
import static io.cutover.router.support.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What real clients send reaches the backend as they sent it: odd URLs byte for byte, absolute-form targets,
 * {@code OPTIONS *}, large heads; routes decide on the path the backend will resolve; the router's own answers are
 * short plain lines, counted.
 */
class FidelityTest {
    @TempDir
    Path dir;

    private static Answer ok(String line) {
        String body = line.startsWith("POST") ? "posted" : "ok";
        return new Answer("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, false);
    }

    private RouterFixture router(ScriptedBackend legacy, ScriptedBackend modern, String extra) throws Exception {
        Files.writeString(dir.resolve("shops.txt"), "42\n");
        return new RouterFixture("""
                listen: 127.0.0.1:0
                backends:
                  legacy: {url: "%s", timeout: 2s}
                  modern: {url: "%s", timeout: 2s}
                default: legacy
                lists:
                  shops: {source: "file:shops.txt"}
                routes:
                  - {name: admin, path: '^/admin', to: modern}
                  - {name: shops, path: '^/shops/(?<id>[0-9]+)(/.*)?$', to: modern, when: {id: {in: shops}}}
                %s
                """.formatted(legacy.url(), modern.url(), extra), dir);
    }

    /** The request line the backend received, as bytes (ISO-8859-1: one char a byte). */
    private static String requestLine(ScriptedBackend b, int i) {
        String head = b.heads().get(i);
        return head.substring(0, head.indexOf("\r\n"));
    }

    private static void sendBytes(Socket s, byte[] bytes) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    @Test
    void oddTargetsReachTheBackendByteForByteOnBothPaths() throws Exception {
        String utf8 = new String("/caf\u00e9/x?d=\u00fc&e=\u20ac".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String[] targets = {"/ids/a%2Fb", "//double//slash", "/x/%2e%2e/y", "/a/./b/../c", utf8, "/q?x=%25&y=a+b"};
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, ""); Socket s = RawHttp.connect(r.router.port())) {
            int n = 0;
            for (String t : targets) {
                // a plain GET (the forwarding path) and a POST with a body (the handler chain)
                send(s, "GET " + t + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponse(s).status()).as(t).isEqualTo(200);
                assertThat(requestLine(legacy, n++)).isEqualTo("GET " + t + " HTTP/1.1");
                send(s, "POST " + t + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
                assertThat(readResponse(s).status()).as("POST " + t).isEqualTo(200);
                String line = requestLine(legacy, n++);
                assertThat(line).as("POST " + t).isEqualTo("POST " + t + " HTTP/1.1");
            }
            assertThat(modern.heads()).isEmpty();
        }
    }

    @Test
    void aMalformedEscapeInTheQueryPassesOnThePlainPath() throws Exception {
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, ""); Socket s = RawHttp.connect(r.router.port())) {
            send(s, RawHttp.get("/q?x=%zz&y=%"));
            assertThat(readResponse(s).status()).isEqualTo(200);
            assertThat(requestLine(legacy, 0)).isEqualTo("GET /q?x=%zz&y=% HTTP/1.1");
        }
    }

    @Test
    void routesDecideOnThePathTheBackendWillResolve() throws Exception {
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, ""); Socket s = RawHttp.connect(r.router.port())) {
            String[] toModern = {"/api/../admin", "/%61dmin/x", "/shops/7/../42/menu", "/x/%2E%2E/admin", "/shops/42"};
            String[] toLegacy = {"/shops/42/../7/menu", "/admin/../home", "//admin", "/%2Fadmin"};
            for (String t : toModern) {
                send(s, RawHttp.get(t));
                assertThat(readResponse(s).status()).isEqualTo(200);
            }
            for (String t : toLegacy) {
                send(s, RawHttp.get(t));
                assertThat(readResponse(s).status()).isEqualTo(200);
            }
            assertThat(modern.heads()).extracting(h -> h.substring(0, h.indexOf("\r\n")))
                    .containsExactly("GET /api/../admin HTTP/1.1", "GET /%61dmin/x HTTP/1.1", "GET /shops/7/../42/menu HTTP/1.1",
                            "GET /x/%2E%2E/admin HTTP/1.1", "GET /shops/42 HTTP/1.1");
            assertThat(legacy.heads()).hasSize(toLegacy.length);
            // the handler chain routes the same way
            send(s, "POST /api/../admin HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz");
            assertThat(readResponse(s).body()).isEqualTo("posted");
            assertThat(modern.heads()).hasSize(toModern.length + 1);
        }
    }

    @Test
    void anAbsoluteFormTargetGoesOnInOriginFormWithItsAuthorityAsHost() throws Exception {
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, ""); Socket s = RawHttp.connect(r.router.port())) {
            send(s, "GET http://shop.example:8443/admin/p?q=1 HTTP/1.1\r\nHost: other\r\n\r\n");
            assertThat(readResponse(s).status()).isEqualTo(200);
            send(s, "GET http://shop.example HTTP/1.1\r\nHost: other\r\n\r\n");
            assertThat(readResponse(s).status()).isEqualTo(200);
            assertThat(modern.heads().get(0)).startsWith("GET /admin/p?q=1 HTTP/1.1\r\n")
                    .contains("Host: shop.example:8443\r\n", "X-Forwarded-Host: shop.example:8443\r\n").doesNotContain("other");
            assertThat(legacy.heads().get(0)).startsWith("GET / HTTP/1.1\r\n").contains("Host: shop.example\r\n");
        }
    }

    @Test
    void optionsAsteriskGoesToTheDefaultBackend() throws Exception {
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, ""); Socket s = RawHttp.connect(r.router.port())) {
            send(s, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readResponse(s).status()).isEqualTo(200);
            assertThat(requestLine(legacy, 0)).isEqualTo("OPTIONS * HTTP/1.1");
        }
    }

    @Test
    void aTwentyKilobyteHeadPassesAndOneOverMaxRequestHeadGetsAPlain431() throws Exception {
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, "")) {
            StringBuilder head = new StringBuilder("GET /big HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 20; i++) {
                head.append("X-H").append(i).append(": ").append("v".repeat(1000)).append("\r\n");
            }
            try (Socket s = RawHttp.connect(r.router.port())) {
                send(s, head + "\r\n");
                assertThat(readResponse(s).status()).isEqualTo(200);
                assertThat(legacy.heads().get(0)).contains("X-H19: " + "v".repeat(1000));
                // and as the handler chain's request (a body)
                send(s, head.toString().replace("GET", "POST") + "Content-Length: 1\r\n\r\nz");
                assertThat(readResponse(s).body()).isEqualTo("posted");
                assertThat(legacy.heads().get(1)).startsWith("POST /big").contains("X-H19: " + "v".repeat(1000));
            }
            try (Socket s = RawHttp.connect(r.router.port())) {
                send(s, "GET /huge HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(40_000) + "\r\n\r\n");
                RawHttp.Response answer = readResponse(s);
                assertThat(answer.status()).isEqualTo(431);
                assertThat(answer.headers()).containsEntry("content-type", "text/plain; charset=utf-8");
                assertThat(answer.body()).startsWith("431 Request Header Fields Too Large").contains("max_request_head").hasLineCount(1);
            }
            assertThat(r.metric("cutover_router_own_answers_total{reason=\"request_head_too_large\",status=\"431\"}")).isEqualTo(1.0);
        }
    }

    @Test
    void maxRequestHeadIsASetting() throws Exception {
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, "limits: {max_request_head: 4KB}"); Socket s = RawHttp.connect(r.router.port())) {
            send(s, "GET /x HTTP/1.1\r\nHost: x\r\nCookie: " + "c".repeat(5000) + "\r\n\r\n");
            assertThat(readResponse(s).status()).isEqualTo(431);
        }
    }

    @Test
    void aMalformedHeadGetsAPlain400Counted() throws Exception {
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, ""); Socket s = RawHttp.connect(r.router.port())) {
            send(s, "GET /x HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n");
            RawHttp.Response answer = readResponse(s);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("400 Bad Request: the request is not valid HTTP/1.1\n");
            assertThat(r.metric("cutover_router_own_answers_total{reason=\"bad_request\",status=\"400\"}")).isEqualTo(1.0);
            assertThat(legacy.heads()).isEmpty();
        }
    }

    @Test
    void aResponseHeadOverTheLimitIsAPlain502OnBothPaths() throws Exception {
        String bigHead = "HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(40_000) + "\r\nContent-Length: 2\r\n\r\nok";
        try (ScriptedBackend legacy = new ScriptedBackend(line -> new Answer(bigHead, false));
             ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, "")) {
            for (String request : new String[]{RawHttp.get("/g"), "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz"}) {
                try (Socket s = RawHttp.connect(r.router.port())) {
                    send(s, request);
                    RawHttp.Response answer = readResponse(s);
                    assertThat(answer.status()).as(request).isEqualTo(502);
                    assertThat(answer.headers()).containsEntry("content-type", "text/plain; charset=utf-8");
                    assertThat(answer.body()).as(request).startsWith("502 Bad Gateway: route 'default' → backend 'legacy' ")
                            .hasLineCount(1);
                }
            }
            // the forwarding path tells why; Jetty's client on the handler chain reports it as a failed answer
            assertThat(r.metric("cutover_router_own_answers_total{reason=\"response_head_too_large\",status=\"502\"}")).isEqualTo(1.0);
        }
    }

    @Test
    void failureAnswersNameNoAddressAndNoException() throws Exception {
        int dead;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0)) {
            dead = ss.getLocalPort();
        }
        try (RouterFixture r = new RouterFixture("""
                listen: 127.0.0.1:0
                backends:
                  legacy: {url: "http://127.0.0.1:%d", connect_timeout: 1s}
                default: legacy
                """.formatted(dead), dir); Socket s = RawHttp.connect(r.router.port())) {
            send(s, RawHttp.get("/x"));
            RawHttp.Response get = readResponse(s);
            send(s, "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz");
            RawHttp.Response post = readResponse(s);
            for (RawHttp.Response answer : new RawHttp.Response[]{get, post}) {
                assertThat(answer.status()).isEqualTo(502);
                assertThat(answer.body()).isEqualTo("502 Bad Gateway: route 'default' → backend 'legacy' refused the connection\n");
            }
            assertThat(r.metric("cutover_router_own_answers_total{reason=\"backend_refused\",status=\"502\"}")).isEqualTo(2.0);
        }
    }

    @Test
    void rawUtf8InAHeaderValueReachesTheBackendAsSent() throws Exception {
        byte[] name = "M\u00fcller \u20ac".getBytes(StandardCharsets.UTF_8);
        try (ScriptedBackend legacy = new ScriptedBackend(FidelityTest::ok); ScriptedBackend modern = new ScriptedBackend(FidelityTest::ok);
             RouterFixture r = router(legacy, modern, ""); Socket s = RawHttp.connect(r.router.port())) {
            java.io.ByteArrayOutputStream req = new java.io.ByteArrayOutputStream();
            req.writeBytes("GET /h HTTP/1.1\r\nHost: x\r\nX-Name: ".getBytes(StandardCharsets.ISO_8859_1));
            req.writeBytes(name);
            req.writeBytes("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            sendBytes(s, req.toByteArray());
            assertThat(readResponse(s).status()).isEqualTo(200);
            assertThat(legacy.heads().get(0)).contains("X-Name: " + new String(name, StandardCharsets.ISO_8859_1) + "\r\n");
        }
    }
}
