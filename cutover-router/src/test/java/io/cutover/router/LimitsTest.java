package io.cutover.router;

import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LimitsTest {
    private static final String SHORT_HEADER_TIMEOUT = """
            listen: 127.0.0.1:0
            backends:
              legacy: {url: "%s"}
            default: legacy
            limits: {client_header_timeout: 300ms, client_idle_timeout: 60s}
            """;

    @TempDir
    Path dir;

    @Test
    void backendMaxConnectionsCapsConcurrencyAtTheBackend() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture("""
                     listen: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s", max_connections: 2}
                     default: legacy
                     """.formatted(legacy.url()), dir)) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(r.client.sendAsync(HttpRequest.newBuilder(URI.create(r.url("/slow?ms=300"))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : all) {
                assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            // six 300 ms requests sent at once, two connections: the backend saw exactly two at a time (six without the cap)
            assertThat(legacy.slowPeak()).isEqualTo(2);
            assertThat(r.metric("cutover_router_upstream_connections{backend=\"legacy\",state=\"active\"}")
                    + r.metric("cutover_router_upstream_connections{backend=\"legacy\",state=\"idle\"}")).isLessThanOrEqualTo(2.0);
        }
    }

    @Test
    void backendConnectionsDoNotCountAgainstMaxClientConnections() throws Exception {
        // the backend connections share the listening connector's selectors: its client limit must not see them
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture("""
                     listen: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s", max_connections: 8}
                     default: legacy
                     limits: {max_client_connections: 3}
                     """.formatted(legacy.url()), dir)) {
            List<CompletableFuture<HttpResponse<String>>> two = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                two.add(r.client.sendAsync(HttpRequest.newBuilder(URI.create(r.url("/slow?ms=300"))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : two) {
                assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(r.metric("cutover_router_upstream_connections{backend=\"legacy\",state=\"idle\"}")).isEqualTo(2.0);
            // two client and two backend connections are open: a third client connection is still accepted
            HttpClient third = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> res = third.send(HttpRequest.newBuilder(URI.create(r.url("/third")))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientThatSendsNoRequestHeadIsDisconnectedAfterTheHeaderTimeout() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture(SHORT_HEADER_TIMEOUT.formatted(legacy.url()), dir)) {
            try (Socket s = new Socket("127.0.0.1", r.router.port())) {
                s.getOutputStream().write(ascii("GET / HTTP/1.1\r\nHost: slow"));
                s.setSoTimeout(20_000);
                InputStream in = s.getInputStream();
                assertThat(in.read()).as("the router closes the connection").isEqualTo(-1);
            }
            assertThat(r.get("/still-serving").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aKeptAliveConnectionWhoseNextHeadStallsIsClosedAfterTheHeaderTimeout() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture(SHORT_HEADER_TIMEOUT.formatted(legacy.url()), dir);
             Socket s = new Socket("127.0.0.1", r.router.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            firstRequestServed(s);
            out.write(ascii("GET /second HTTP/1.1\r\nHost: x\r\n")); // and never the blank line
            assertThat(in.read()).as("the router closes the connection long before its idle timeout").isEqualTo(-1);
            assertThat(legacy.seen()).extracting(TestBackend.Seen::pathQuery).containsExactly("/first");
        }
    }

    @Test
    void aKeptAliveConnectionMayWaitForItsNextRequestAndABodyMayTakeLongerThanTheHeaderTimeout() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture(SHORT_HEADER_TIMEOUT.formatted(legacy.url()), dir);
             Socket s = new Socket("127.0.0.1", r.router.port())) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            firstRequestServed(s);
            Thread.sleep(1000); // idle between requests: only the idle timeout applies
            out.write(ascii("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"));
            for (int i = 0; i < 10; i++) { // the body trickles in over a second, after a complete head
                Thread.sleep(100);
                out.write('x');
                out.flush();
            }
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("received 10");
        }
    }

    /** Sends a first request on {@code s} and checks its answer: the connection is then kept alive. */
    private static void firstRequestServed(Socket s) throws java.io.IOException {
        s.setSoTimeout(20_000);
        s.getOutputStream().write(ascii("GET /first HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200").endsWith("legacy GET /first");
    }

    /** Reads one response with a Content-Length body; returns its status line and body. */
    private static String readResponse(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("response head so far: %s", head).isNotEqualTo(-1);
            head.append((char) b);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertThat(m.find()).as(head.toString()).isTrue();
        byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
        return head.substring(0, head.indexOf("\r\n")) + " " + new String(body, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void startWarnsWhenTheOpenFileLimitIsBelowWhatTheLimitsNeed() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture("""
                     listen: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s", max_connections: 500}
                     default: legacy
                     limits: {max_client_connections: 50000000}
                     """.formatted(legacy.url()), dir)) {
            assertThat(r.router.warnings()).anySatisfy(w -> assertThat(w)
                    .contains("open-file limit is").contains("50000628").contains("ulimit -n"));
        }
    }
}
