package io.cutover.router;

import io.cutover.router.lists.Allowlist;
import io.cutover.router.lists.AllowlistSource;
import io.cutover.router.lists.HttpAllowlistSource;
import io.cutover.router.lists.ListReloader;
import io.cutover.router.support.Prom;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestBackend;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.cutover.router.support.RouterFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

class ListReloadTest {
    @TempDir
    Path dir;

    private static String config(TestBackend legacy, TestBackend modern, String listSource, String extra) {
        return """
                listen: 127.0.0.1:0
                backends:
                  legacy: {url: "%s"}
                  modern: {url: "%s"}
                default: legacy
                lists:
                  shops: {source: "%s", refresh: 200ms%s}
                routes:
                  - name: shop-pages
                    path: '^/shops/(?<id>[0-9]+)'
                    to: modern
                    when: {id: {in: shops}}
                """.formatted(legacy.url(), modern.url(), listSource, extra);
    }

    private static void replace(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void changedFileRoutesTheNewIdWithinARefresh() throws Exception {
        Path list = dir.resolve("shops.txt");
        Files.writeString(list, "10\n");
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(config(legacy, modern, "file:shops.txt", ""), dir)) {
            assertThat(r.get("/shops/42").body()).startsWith("legacy");
            replace(list, "10\n42\n");
            assertThat(eventually(Duration.ofSeconds(10), () -> body(r, "/shops/42").startsWith("modern"))).isTrue();
            assertThat(r.get("/shops/10").body()).startsWith("modern");
            assertThat(r.metric("cutover_router_list_size{list=\"shops\"}")).isEqualTo(2.0);
        }
    }

    @Test
    void malformedListAndFailingFetchKeepTheLastGoodListAndCountFailures() throws Exception {
        Path list = dir.resolve("shops.txt");
        Files.writeString(list, "10\n42\n");
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(config(legacy, modern, "file:shops.txt", ""), dir)) {
            String failures = "cutover_router_list_reload_failures_total{list=\"shops\"}";
            assertThat(r.metric(failures)).isEqualTo(0.0);
            replace(list, "<html><body>503 Service Unavailable</body></html>\n");
            assertThat(eventually(Duration.ofSeconds(10), () -> r.metric(failures) >= 1)).isTrue();
            assertThat(r.get("/shops/42").body()).startsWith("modern");
            assertThat(r.router.lists().lastError("shops")).contains("malformed list").contains("line 1");

            Files.delete(list);
            double before = r.metric(failures);
            assertThat(eventually(Duration.ofSeconds(10), () -> r.metric(failures) >= before + 2)).isTrue();
            assertThat(r.router.lists().lastError("shops")).contains("fetch from file:").contains("NoSuchFile");
            assertThat(r.get("/shops/42").body()).startsWith("modern");
            assertThat(r.metric("cutover_router_list_size{list=\"shops\"}")).isEqualTo(2.0);
            // the age keeps growing while the source is broken: that is what the staleness alert sees
            double age = r.metric("cutover_router_list_age_seconds{list=\"shops\"}");
            assertThat(eventually(Duration.ofSeconds(10),
                    () -> r.metric("cutover_router_list_age_seconds{list=\"shops\"}") > age + 0.3)).isTrue();

            Files.writeString(list, "42\n");
            assertThat(eventually(Duration.ofSeconds(10), () -> body(r, "/shops/10").startsWith("legacy"))).isTrue();
            assertThat(r.metric("cutover_router_list_age_seconds{list=\"shops\"}")).isLessThan(age + 0.3);
        }
    }

    @Test
    void shrinkBeyondMaxShrinkIsRefusedUnlessForced() throws Exception {
        Path list = dir.resolve("shops.txt");
        Files.writeString(list, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(config(legacy, modern, "file:shops.txt", ", max_shrink: 50%")
                     .replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0"), dir)) {
            replace(list, "1\n2\n3\n4\n5\n6\n"); // -40%: accepted
            assertThat(eventually(Duration.ofSeconds(10), () -> r.router.lists().lists().get("shops").size() == 6)).isTrue();
            replace(list, "1\n2\n"); // -67%: refused
            String failures = "cutover_router_list_reload_failures_total{list=\"shops\"}";
            assertThat(eventually(Duration.ofSeconds(10), () -> r.metric(failures) >= 1)).isTrue();
            assertThat(r.router.lists().lists().get("shops").size()).isEqualTo(6);
            assertThat(r.get("/shops/5").body()).startsWith("modern");
            assertThat(r.router.lists().lastError("shops")).contains("shrink from 6 to 2");
            assertThat(r.admin("POST", "/reload").body()).contains("REFUSED");
            assertThat(r.admin("POST", "/reload?force=true").body()).contains("\"status\" : \"LOADED\"");
            assertThat(r.get("/shops/5").body()).startsWith("legacy");
        }
    }

    @Test
    void neverLoadedListMatchesNothing() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(config(legacy, modern, "file:missing.txt", ""), dir)) {
            assertThat(r.router.warnings()).anySatisfy(w -> assertThat(w).contains("list shops is not loaded"));
            assertThat(r.get("/shops/10").body()).startsWith("legacy");
        }
    }

    @Test
    void httpListIsFetchedWithIfNoneMatchAnd304KeepsIt() throws Exception {
        AtomicReference<String> body = new AtomicReference<>("10\n");
        AtomicInteger notModified = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        AtomicInteger failNext = new AtomicInteger();
        Server lists = new Server();
        ServerConnector c = new ServerConnector(lists, 1, 1);
        c.setHost("127.0.0.1");
        lists.addConnector(c);
        lists.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (failNext.getAndDecrement() > 0) {
                    response.setStatus(500);
                    callback.succeeded();
                    return true;
                }
                String b = body.get();
                String etag = "\"" + Integer.toHexString(b.hashCode()) + "\"";
                if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
                    notModified.incrementAndGet();
                    response.setStatus(304);
                    callback.succeeded();
                    return true;
                }
                full.incrementAndGet();
                response.getHeaders().put(HttpHeader.ETAG, etag);
                Content.Sink.write(response, true, b, callback);
                return true;
            }
        });
        lists.start();
        String src = "http://127.0.0.1:" + c.getLocalPort() + "/shops.txt";
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(config(legacy, modern, src, ""), dir)) {
            assertThat(r.get("/shops/10").body()).startsWith("modern");
            assertThat(eventually(Duration.ofSeconds(10), () -> notModified.get() >= 2)).isTrue();
            assertThat(full.get()).isEqualTo(1);

            failNext.set(2);
            String failures = "cutover_router_list_reload_failures_total{list=\"shops\"}";
            assertThat(eventually(Duration.ofSeconds(10), () -> r.metric(failures) >= 2)).isTrue();
            assertThat(r.get("/shops/10").body()).startsWith("modern");

            body.set("10\n42\n");
            assertThat(eventually(Duration.ofSeconds(10), () -> body(r, "/shops/42").startsWith("modern"))).isTrue();
            assertThat(full.get()).isEqualTo(2);
        } finally {
            lists.stop();
        }
    }

    @Test
    void aSourceThatThrowsDoesNotStopLaterReloads() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AllowlistSource flaky = new AllowlistSource() {
            @Override
            public Fetched fetch(String previousVersion) {
                int n = calls.incrementAndGet();
                if (n == 2) {
                    throw new IllegalStateException("bug in the fetcher");
                }
                if (n == 3) {
                    throw new StackOverflowError("worse bug in the fetcher");
                }
                return new Fetched(n == 1 ? "1\n" : "1\n2\n", "v" + Math.min(n, 4));
            }

            @Override
            public String describe() {
                return "flaky";
            }
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ListReloader reloader = new ListReloader(registry)) {
            Allowlist list = reloader.add("flaky", flaky, Duration.ofMillis(50), 0.5);
            reloader.start();
            assertThat(list.contains("1")).isTrue();
            assertThat(eventually(Duration.ofSeconds(10), () -> list.contains("2"))).isTrue();
            assertThat(eventually(Duration.ofSeconds(10), () -> calls.get() >= 6)).isTrue();
            assertThat(Prom.value(registry.scrape(), "cutover_router_list_reload_failures_total{list=\"flaky\"}")).isEqualTo(2.0);
        }
    }

    @Test
    void httpSourceSends304WhenEtagMatches() throws Exception {
        // a direct check of the source: no ETag known → full fetch; the version carries the ETag
        Server s = new Server();
        ServerConnector c = new ServerConnector(s, 1, 1);
        c.setHost("127.0.0.1");
        s.addConnector(c);
        s.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if ("\"v1\"".equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
                    response.setStatus(304);
                    callback.succeeded();
                } else {
                    response.getHeaders().put(HttpHeader.ETAG, "\"v1\"");
                    Content.Sink.write(response, true, "7\n", callback);
                }
                return true;
            }
        });
        s.start();
        try {
            HttpAllowlistSource src = new HttpAllowlistSource(URI.create("http://127.0.0.1:" + c.getLocalPort() + "/l"),
                    Duration.ofSeconds(5));
            AllowlistSource.Fetched first = src.fetch(null);
            assertThat(first.text()).isEqualTo("7\n");
            assertThat(src.fetch(first.version()).notModified()).isTrue();
        } finally {
            s.stop();
        }
    }

    private static String body(RouterFixture r, String path) {
        try {
            return r.get(path).body();
        } catch (Exception e) {
            return "";
        }
    }
}
