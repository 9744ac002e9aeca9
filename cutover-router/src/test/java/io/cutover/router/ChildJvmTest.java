package io.cutover.router;

import io.cutover.router.support.ChildRouter;
import io.cutover.router.support.RawHttp;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests that need the router in its own JVM: a small heap, and a real SIGTERM. */
class ChildJvmTest {
    private static final long SIZE = 200L * 1024 * 1024;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void twoHundredMegabytesStreamBothWaysThroughARouterWith64MbHeap() throws Exception {
        try (TestBackend backend = new TestBackend("legacy");
             ChildRouter router = new ChildRouter(dir, """
                     listen: 127.0.0.1:0
                     admin: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s"}
                     default: legacy
                     """.formatted(backend.url()), "-Xmx64m")) {
            String base = "http://127.0.0.1:" + router.port;

            HttpResponse<InputStream> down = client.send(HttpRequest.newBuilder(URI.create(base + "/download?bytes=" + SIZE))
                    .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(down.statusCode()).isEqualTo(200);
            long received = 0;
            long mismatches = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = down.body()) {
                int r;
                while ((r = in.read(buf)) > 0) {
                    for (int i = 0; i < r; i += 4093) {
                        if (buf[i] != (byte) ((received + i) % (64 * 1024))) {
                            mismatches++;
                        }
                    }
                    received += r;
                }
            }
            assertThat(received).isEqualTo(SIZE);
            assertThat(mismatches).isZero();

            HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                    .timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(SIZE))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).isEqualTo("received " + SIZE);
            assertThat(backend.seen().stream().filter(s -> s.pathQuery().equals("/upload")).findFirst().orElseThrow()
                    .bodyBytes()).isEqualTo(SIZE);
            assertThat(router.process.isAlive()).isTrue();
            assertThat(router.log()).doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void sigtermStopsAcceptingAndFinishesTheRequestInFlight() throws Exception {
        try (TestBackend backend = new TestBackend("legacy");
             ChildRouter router = new ChildRouter(dir, """
                     listen: 127.0.0.1:0
                     admin: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s"}
                     default: legacy
                     shutdown_grace: 15s
                     """.formatted(backend.url()), "-Xmx128m")) {
            CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + router.port + "/slow?ms=3000")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(backend.slowStarted().await(20, TimeUnit.SECONDS)).isTrue();

            router.process.destroy(); // SIGTERM on Linux

            // at once: the listener is the first thing closed, so a new connection is refused, not accepted and 503'd
            assertThat(RouterFixture.eventually(Duration.ofSeconds(1), () -> !accepts(router.port)))
                    .as("the router refuses new connections").isTrue();
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + router.adminPort + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(slow.isDone()).as("the request in flight is still under way").isFalse();
            HttpResponse<String> res = slow.get(30, TimeUnit.SECONDS);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).isEqualTo("legacy GET /slow?ms=3000");
            assertThat(router.process.waitFor(30, TimeUnit.SECONDS)).as("the router exits").isTrue();
            assertThat(router.process.exitValue()).as("a graceful stop is a clean exit").isZero();
        }
    }

    @Test
    void withSeveralEventLoopsEveryRequestIsAnsweredAndNothingIsLeftInFlight() throws Exception {
        // 8 processors: Jetty runs 4 selectors, so a client connection and the backend connection carrying its
        // request are often on different event loops (answers completing before the request's write has returned,
        // connections handed between loops, exchanges queued for one of the 8 connections)
        int clients = 64;
        int requests = 300;
        try (TestBackend backend = new TestBackend("legacy");
             ChildRouter router = new ChildRouter(dir, """
                     listen: 127.0.0.1:0
                     admin: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s", max_connections: 8, timeout: 60s}
                     default: legacy
                     """.formatted(backend.url()), "-Xmx128m", "-XX:ActiveProcessorCount=8")) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Integer>> answered = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int client = c;
                    answered.add(pool.submit(() -> {
                        int ok = 0;
                        try (Socket s = RawHttp.connect(router.port)) { // a stalled answer fails by read timeout
                            for (int i = 0; i < requests; i++) {
                                RawHttp.send(s, RawHttp.get("/c" + client + "/r" + i));
                                RawHttp.Response answer = RawHttp.readResponse(s);
                                if (answer.status() == 200 && answer.body().equals("legacy GET /c" + client + "/r" + i)) {
                                    ok++;
                                }
                            }
                        }
                        return ok;
                    }));
                }
                for (Future<Integer> f : answered) {
                    assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(requests);
                }
            } finally {
                pool.shutdownNow();
            }
            String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("cutover_router_inflight_requests 0.0",
                    "cutover_router_upstream_connections{backend=\"legacy\",state=\"active\"} 0.0",
                    "cutover_router_requests_seconds_count{backend=\"legacy\",route=\"default\",status=\"2xx\"} " + clients * requests);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A stream of {@code size} generated bytes. */
    private static final class Generated extends InputStream {
        private long left;

        Generated(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return (int) (left & 0x7f);
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            left -= n;
            return n;
        }
    }
}
