package io.cutover.router;

import io.cutover.router.support.RawHttp;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FailureTest {
    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void backendDownGives502NamingRouteAndBackendAndTheRouterKeepsServing() throws Exception {
        int dead = freePort();
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture("""
                     listen: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s"}
                       modern: {url: "http://127.0.0.1:%d", connect_timeout: 1s}
                     default: legacy
                     routes:
                       - {name: new-api, path: '^/api/', to: modern}
                     """.formatted(legacy.url(), dead), dir)) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> res = r.get("/api/x");
                assertThat(res.statusCode()).isEqualTo(502);
                assertThat(res.body()).contains("route 'new-api'").contains("backend 'modern'").contains("refused");
            }
            assertThat(r.get("/home").statusCode()).isEqualTo(200);
            assertThat(RouterFixture.eventually(java.time.Duration.ofSeconds(5), () -> r.metric(
                    "cutover_router_requests_seconds_count{route=\"new-api\",backend=\"modern\",status=\"5xx\"}") == 3.0)).isTrue();
        }
    }

    @Test
    void slowBackendGives504() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture("""
                     listen: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s", timeout: 300ms}
                     default: legacy
                     """.formatted(legacy.url()), dir)) {
            HttpResponse<String> res = r.get("/slow?ms=1500");
            assertThat(res.statusCode()).isEqualTo(504);
            assertThat(res.body()).contains("route 'default'").contains("backend 'legacy'").contains("timed out");
            assertThat(r.get("/fast").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void pastMaxInflightGives503WithRetryAfter() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture("""
                     listen: 127.0.0.1:0
                     backends:
                       legacy: {url: "%s"}
                     default: legacy
                     limits: {max_inflight: 2, retry_after: 3s}
                     """.formatted(legacy.url()), dir)) {
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                slow.add(r.client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(r.url("/slow?ms=1500"))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(RouterFixture.eventually(java.time.Duration.ofSeconds(10), () -> r.router.inflight() == 2)).isTrue();
            HttpResponse<String> rejected = r.get("/other");
            assertThat(rejected.statusCode()).isEqualTo(503);
            assertThat(rejected.headers().firstValue("Retry-After")).contains("3");
            assertThat(rejected.body()).contains("max_inflight");
            // a HEAD gets the same answer without its body, on a connection that goes on
            try (java.net.Socket s = RawHttp.connect(r.router.port())) {
                RawHttp.send(s, "HEAD /other HTTP/1.1\r\nHost: x\r\n\r\n");
                java.io.InputStream in = s.getInputStream();
                assertThat(RawHttp.line(in)).isEqualTo("HTTP/1.1 503 Service Unavailable");
                String h;
                do {
                    h = RawHttp.line(in);
                } while (!h.isEmpty());
                for (CompletableFuture<HttpResponse<String>> f : slow) {
                    assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                }
                RawHttp.send(s, RawHttp.get("/after"));
                assertThat(RawHttp.readResponse(s).body()).isEqualTo("legacy GET /after");
            }
            assertThat(r.get("/other").statusCode()).isEqualTo(200);
            assertThat(r.metric("cutover_router_requests_seconds_count{backend=\"legacy\",route=\"default\",status=\"5xx\"}")).isEqualTo(2.0);
        }
    }
}
