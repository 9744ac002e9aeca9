package io.cutover.router;

import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingTest {
    @TempDir
    static Path dir;
    static TestBackend legacy;
    static TestBackend modern;
    static RouterFixture router;

    @BeforeAll
    static void start() throws Exception {
        legacy = new TestBackend("legacy");
        modern = new TestBackend("modern");
        Files.writeString(dir.resolve("shops.txt"), "# pilot shops\n10\n25 # the second one\n\n");
        router = new RouterFixture("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                backends:
                  legacy: {url: "%s", max_connections: 16}
                  modern: {url: "%s"}
                default: legacy
                lists:
                  shops: {source: "file:shops.txt", refresh: 10s}
                routes:
                  - name: shop-pages
                    path: '^/shops/(?<id>[0-9]+)(/.*)?$'
                    to: modern
                    when: {id: {in: shops}}
                  - name: new-assets
                    path: '^/_nuxt/'
                    to: modern
                  - name: rollout
                    path: '^/users/(?<id>[0-9]+)$'
                    to: modern
                    when: {id: {percent: 25}}
                """.formatted(legacy.url(), modern.url()), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
        legacy.close();
        modern.close();
    }

    @Test
    void listedIdGoesToModernOthersToDefault() throws Exception {
        assertThat(router.get("/shops/10/menu").body()).startsWith("modern GET /shops/10/menu");
        assertThat(router.get("/shops/25").body()).startsWith("modern GET /shops/25");
        assertThat(router.get("/shops/11/menu").body()).startsWith("legacy GET /shops/11/menu");
        assertThat(router.get("/shops/abc").body()).startsWith("legacy");
        assertThat(router.get("/about").body()).startsWith("legacy GET /about");
    }

    @Test
    void regexWithoutConditionAlwaysMatches() throws Exception {
        assertThat(router.get("/_nuxt/app.js?v=3").body()).isEqualTo("modern GET /_nuxt/app.js?v=3");
        assertThat(router.get("/static/_nuxt/app.js").body()).startsWith("legacy");
    }

    @Test
    void percentRouteIsStickyPerId() throws Exception {
        for (int id = 1; id <= 20; id++) {
            String first = router.get("/users/" + id).body().split(" ")[0];
            String again = router.get("/users/" + id).body().split(" ")[0];
            assertThat(again).isEqualTo(first);
            String expected = io.cutover.router.route.StickyPercent.in(Integer.toString(id), 25) ? "modern" : "legacy";
            assertThat(first).as("user %d", id).isEqualTo(expected);
        }
    }

    @Test
    void methodQueryHeadersAndBodyPassUnchangedWithForwardedHeaders() throws Exception {
        legacy.seen().clear();
        HttpResponse<String> res = router.send(HttpRequest.newBuilder(URI.create(router.url("/orders?x=1&y=%20z")))
                .header("X-Custom", "kept").header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-Proto", "gopher")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"qty\":2}")));
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("legacy PATCH /orders?x=1&y=%20z {\"qty\":2}");
        assertThat(res.headers().firstValue("X-Backend")).contains("legacy");
        TestBackend.Seen seen = legacy.seen().poll(5, TimeUnit.SECONDS);
        assertThat(seen.header("X-Custom")).isEqualTo("kept");
        // the client is no trusted proxy: what it claims is replaced by what the router saw
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + router.router.port());
        assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + router.router.port());
    }

    @Test
    void hopByHopHeadersAreDropped() throws Exception {
        legacy.seen().clear();
        try (Socket s = new Socket("127.0.0.1", router.router.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /hop HTTP/1.1\r\nHost: shop.example\r\nConnection: close, X-Hop\r\nX-Hop: secret\r\n"
                    + "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic eDp5\r\nX-End: 1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }
        TestBackend.Seen seen = legacy.seen().poll(5, TimeUnit.SECONDS);
        assertThat(seen.header("X-Hop")).isNull();
        assertThat(seen.header("Keep-Alive")).isNull();
        assertThat(seen.header("Proxy-Authorization")).isNull();
        assertThat(seen.header("X-End")).isEqualTo("1");
        assertThat(seen.header("Host")).isEqualTo("shop.example");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("shop.example");
    }

    @Test
    void metricsCountRequestsByRouteBackendAndStatus() throws Exception {
        double before = router.metric("cutover_router_requests_seconds_count{route=\"new-assets\",backend=\"modern\",status=\"2xx\"}");
        router.get("/_nuxt/a.js");
        router.get("/_nuxt/b.js");
        // a request is counted when its exchange completes, a moment after the client has the response
        assertThat(RouterFixture.eventually(java.time.Duration.ofSeconds(5), () -> router.metric(
                "cutover_router_requests_seconds_count{route=\"new-assets\",backend=\"modern\",status=\"2xx\"}") == before + 2))
                .isTrue();
        String scrape = router.admin("GET", "/metrics").body();
        assertThat(scrape).contains("cutover_router_requests_seconds_bucket{backend=\"modern\",route=\"new-assets\",status=\"2xx\",le=\"0.001\"}");
        assertThat(scrape).contains("cutover_router_inflight_requests");
        assertThat(scrape).contains("cutover_router_upstream_connections{backend=\"modern\",state=\"idle\"}");
        assertThat(scrape).contains("cutover_router_upstream_max_connections{backend=\"legacy\"} 16.0");
        assertThat(scrape).contains("process_files_open_files").contains("process_files_max_files");
        assertThat(scrape).contains("cutover_router_list_age_seconds{list=\"shops\"}");
        assertThat(scrape).contains("cutover_router_list_size{list=\"shops\"} 2.0");
    }

    @Test
    void adminEndpoints() throws Exception {
        assertThat(router.admin("GET", "/healthz").body()).isEqualTo("ok\n");
        String routes = router.admin("GET", "/routes").body();
        assertThat(routes).contains("\"name\" : \"shop-pages\"").contains("\"in\" : \"shops\"").contains("\"size\" : 2");
        HttpResponse<String> reload = router.admin("POST", "/reload");
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(reload.body()).contains("\"status\" : \"UNCHANGED\"");
        assertThat(router.admin("GET", "/reload").statusCode()).isEqualTo(405);
        assertThat(router.admin("GET", "/nope").statusCode()).isEqualTo(404);
    }
}
