package io.cutover.router;

import io.cutover.router.shadow.DiffSummary;
import io.cutover.router.support.JsonBackend;
import io.cutover.router.support.RouterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Shadow traffic: copies compared with the primary's answers, noise learned, writes kept out, the primary never held. */
class ShadowTest {
    @TempDir
    Path dir;

    private static String metricLine(String name, String route, String field) {
        return name + "{field=\"" + field + "\",route=\"" + route + "\",}";
    }

    @Test
    void aDifferingPriceIsCountedAndWrittenWhileANoisyTimestampIsNot() throws Exception {
        try (JsonBackend legacy = new JsonBackend("legacy", (m, id) -> "19.99");
             JsonBackend modern = new JsonBackend("modern", (m, id) -> id.equals("7") ? "21.0" : "19.990")) {
            RouterFixture r = new RouterFixture("""
                    listen: 127.0.0.1:0
                    backends:
                      legacy: {url: "%s"}
                      modern: {url: "%s"}
                    default: legacy
                    routes:
                      - name: items
                        path: '^/api/'
                        to: legacy
                        shadow: {to: modern, percent: 100, writes: false, ignore: ["$.served_by"], headers: [Content-Type], diffs: diffs.jsonl}
                      - name: orders
                        path: '^/orders'
                        to: legacy
                        shadow: {to: modern, writes: true, ignore: ["$.served_by"], diffs: diffs.jsonl}
                    """.formatted(legacy.url(), modern.url()), dir);
            try {
                for (String id : new String[]{"1", "7", "2"}) {
                    HttpResponse<String> a = r.get("/api/items/" + id + "?lang=de"); // the forwarding path
                    assertThat(a.statusCode()).isEqualTo(200);
                    assertThat(a.body()).contains("\"served_by\": \"legacy\"").contains("\"price\": 19.99");
                }
                // a write on a route without shadow.writes: the primary only
                HttpResponse<String> post = r.send(HttpRequest.newBuilder(URI.create(r.url("/api/items/9")))
                        .POST(HttpRequest.BodyPublishers.ofString("x")));
                assertThat(post.body()).contains("legacy");
                // a write on a route with shadow.writes: true, through the handler chain (it has a body)
                HttpResponse<String> order = r.send(HttpRequest.newBuilder(URI.create(r.url("/orders")))
                        .POST(HttpRequest.BodyPublishers.ofString("book-42")));
                assertThat(order.body()).contains("\"served_by\": \"legacy\"");

                assertThat(RouterFixture.eventually(Duration.ofSeconds(10), () ->
                        r.metric("cutover_router_shadow_compared_total{route=\"items\",}") == 3
                                && r.metric("cutover_router_shadow_compared_total{route=\"orders\",}") == 1)).isTrue();
                assertThat(r.metric(metricLine("cutover_router_shadow_differences_total", "items", "$.price"))).isEqualTo(1.0);
                assertThat(r.router.metrics().scrape()).doesNotContain("field=\"$.generated_at\"")
                        .doesNotContain("field=\"$.served_by\"").doesNotContain("route=\"orders\",}");
                assertThat(r.router.shadows().of("items").noise()).containsExactly("$.generated_at");

                assertThat(modern.seen()).filteredOn(s -> s.method().equals("POST") && s.pathQuery().startsWith("/api/")).isEmpty();
                assertThat(modern.seen()).filteredOn(s -> s.pathQuery().equals("/api/items/7?lang=de")).singleElement()
                        .satisfies(s -> assertThat(s.shadow()).isTrue());
                assertThat(modern.seen()).filteredOn(s -> s.pathQuery().equals("/orders")).singleElement()
                        .satisfies(s -> assertThat(s.body()).isEqualTo("book-42"));
                // noise learning sent each read to the primary twice, the second marked as a copy
                assertThat(legacy.seen()).filteredOn(s -> s.pathQuery().equals("/api/items/7?lang=de")).hasSize(2)
                        .filteredOn(JsonBackend.Seen::shadow).hasSize(1);
            } finally {
                r.close();
            }

            DiffSummary.Summary s = DiffSummary.read(dir.resolve("diffs.jsonl"));
            assertThat(s.compared()).isEqualTo(4);
            assertThat(s.differing()).isEqualTo(1);
            assertThat(s.fields()).singleElement().satisfies(f -> {
                assertThat(f.field()).isEqualTo("$.price");
                assertThat(f.count()).isEqualTo(1);
                assertThat(f.example()).containsEntry("target", "/api/items/7?lang=de").containsEntry("route", "items");
                assertThat(f.example().get("primary")).hasToString("19.99");
                assertThat(f.example().get("shadow")).hasToString("21.0");
            });
            assertThat(Files.readAllLines(dir.resolve("diffs.jsonl"))).filteredOn(l -> l.contains("\"kind\":\"diff\"")).hasSize(1);
        }
    }

    @Test
    void aStuckShadowNeverHoldsThePrimaryAndAFullQueueDropsCopies() throws Exception {
        try (JsonBackend legacy = new JsonBackend("legacy", (m, id) -> "1");
             JsonBackend modern = new JsonBackend("modern", (m, id) -> "1")) {
            modern.hold();
            try (RouterFixture r = new RouterFixture("""
                    listen: 127.0.0.1:0
                    backends:
                      legacy: {url: "%s"}
                      modern: {url: "%s"}
                    default: legacy
                    routes:
                      - name: items
                        path: '^/api/'
                        to: legacy
                        shadow: {to: modern, diffs: diffs.jsonl, queue: 1, timeout: 30s}
                    """.formatted(legacy.url(), modern.url()), dir)) {
                for (int i = 0; i < 8; i++) {
                    assertThat(r.get("/api/items/" + i).body()).contains("legacy");
                }
                // two workers are stuck at the shadow and one copy waits: the other five were dropped, not queued
                // (a copy is queued as the answer's last bytes go out: the count may trail the client by a moment)
                assertThat(RouterFixture.eventually(Duration.ofSeconds(10), () ->
                        r.metric("cutover_router_shadow_dropped_total{reason=\"queue_full\",route=\"items\",}") == 5.0)).isTrue();
                modern.release();
                assertThat(RouterFixture.eventually(Duration.ofSeconds(10),
                        () -> r.metric("cutover_router_shadow_compared_total{route=\"items\",}") == 3)).isTrue();
            }
        }
    }
}
