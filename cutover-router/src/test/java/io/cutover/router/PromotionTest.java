package io.cutover.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.router.promote.Phase;
import io.cutover.router.promote.PromotionStatus;
import io.cutover.router.route.StickyPercent;
import io.cutover.router.support.JsonBackend;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Automatic promotion: the share rises each period within bounds, holds without traffic, drops to 0 on a 5xx burst. */
class PromotionTest {
    @TempDir
    Path dir;

    /** An id whose bucket lies in [fromPercent, toPercent). */
    private static String idIn(int fromPercent, int toPercent) {
        return IntStream.range(1, 1_000_000).mapToObj(Integer::toString)
                .filter(id -> StickyPercent.bucket(id) >= fromPercent * 100 && StickyPercent.bucket(id) < toPercent * 100)
                .findFirst().orElseThrow();
    }

    private String yaml(JsonBackend legacy, JsonBackend modern) {
        return """
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                backends:
                  legacy: {url: "%s"}
                  modern: {url: "%s"}
                default: legacy
                routes:
                  - name: shop-pages
                    path: '^/shops/(?<id>[0-9]+)'
                    to: modern
                    when: {id: {percent: 10, promote: {step: 10, every: 10m, max_5xx_ratio: 0.1, max_p99: 5s, min_requests: 5}}}
                """.formatted(legacy.url(), modern.url());
    }

    /** Requests the route sent to the new backend with a status class, once recorded (a record may trail the answer). */
    private static boolean recorded(RouterFixture r, String status, int n) throws InterruptedException {
        return RouterFixture.eventually(Duration.ofSeconds(10), () -> r.metric(
                "cutover_router_requests_seconds_count{backend=\"modern\",route=\"shop-pages\",status=\"" + status + "\",}") == n);
    }

    private static String servedBy(RouterFixture r, String id) throws Exception {
        return new ObjectMapper().readTree(r.get("/shops/" + id + "/items/" + id).body()).path("served_by").asText("?");
    }

    private static JsonNode route(RouterFixture r) throws Exception {
        return new ObjectMapper().readTree(r.admin("GET", "/routes").body()).path("routes").get(0);
    }

    @Test
    void theShareRisesWithinBoundsHoldsWithoutTrafficAndA5xxBurstDropsItToZero() throws Exception {
        String early = idIn(0, 10);   // on the new backend from the start
        String later = idIn(10, 20);  // joins after one step
        TestClock clock = new TestClock();
        try (JsonBackend legacy = new JsonBackend("legacy", (m, id) -> "1");
             JsonBackend modern = new JsonBackend("modern", (m, id) -> "1")) {
            try (RouterFixture r = new RouterFixture(yaml(legacy, modern), dir, Map.of(), clock)) {
                assertThat(servedBy(r, later)).isEqualTo("legacy");
                for (int i = 0; i < 6; i++) {
                    assertThat(servedBy(r, early)).isEqualTo("modern");
                }
                assertThat(recorded(r, "2xx", 6)).isTrue();
                r.router.promotions().checkNow(); // within the period: nothing changes yet
                assertThat(r.router.promotions().of("shop-pages").status().percent()).isEqualTo(10.0);

                clock.advance(Duration.ofMinutes(10));
                r.router.promotions().checkNow();
                PromotionStatus s = r.router.promotions().of("shop-pages").status();
                assertThat(s.phase()).isEqualTo(Phase.ADVANCING);
                assertThat(s.percent()).isEqualTo(20.0);
                assertThat(servedBy(r, later)).isEqualTo("modern");
                assertThat(recorded(r, "2xx", 7)).isTrue();
                JsonNode shown = route(r);
                assertThat(shown.path("name").asText()).isEqualTo("shop-pages");
                assertThat(shown.path("percent").asDouble()).isEqualTo(20.0);
                assertThat(shown.path("promotion").path("state").asText()).isEqualTo("advancing");
                assertThat(r.metric("cutover_router_rollout_percent{route=\"shop-pages\",}")).isEqualTo(20.0);

                // a period with too little traffic on the new backend (the one request above): it holds
                clock.advance(Duration.ofMinutes(10));
                r.router.promotions().checkNow();
                assertThat(r.router.promotions().of("shop-pages").status()).satisfies(h -> {
                    assertThat(h.phase()).isEqualTo(Phase.HOLDING);
                    assertThat(h.percent()).isEqualTo(20.0);
                    assertThat(h.reason()).isEqualTo("only 1 requests to the new backend in the last 10m (min_requests 5)");
                });

                // a burst of 5xx from the new backend: back to 0 at the next check, mid-period
                modern.failing(true);
                for (int i = 0; i < 6; i++) {
                    assertThat(r.get("/shops/" + later + "/x").statusCode()).isEqualTo(500);
                }
                assertThat(recorded(r, "5xx", 6)).isTrue();
                r.router.promotions().checkNow();
                PromotionStatus rolled = r.router.promotions().of("shop-pages").status();
                assertThat(rolled.phase()).isEqualTo(Phase.ROLLED_BACK);
                assertThat(rolled.percent()).isZero();
                assertThat(rolled.reason()).contains("5xx ratio 1.0000 (6 of 6) > max_5xx_ratio 0.1");
                assertThat(servedBy(r, early)).isEqualTo("legacy");
                assertThat(route(r).path("promotion").path("state").asText()).isEqualTo("rolled_back");
                assertThat(r.metric("cutover_router_promotion_rollbacks_total{bound=\"max_5xx_ratio\",route=\"shop-pages\",}")).isEqualTo(1.0);
                assertThat(r.metric("cutover_router_promotion_state{route=\"shop-pages\",state=\"rolled_back\",}")).isEqualTo(1.0);

                // it stays at 0, whatever the new backend does next
                modern.failing(false);
                clock.advance(Duration.ofMinutes(30));
                r.router.promotions().checkNow();
                assertThat(r.router.promotions().of("shop-pages").status().percent()).isZero();
            }
            assertThat(Files.readString(dir.resolve("promote-shop-pages.state"))).contains("\"percent\":0.0")
                    .contains("\"state\":\"rolled_back\"");

            // a restart keeps the rollback: the configured 10% does not come back
            try (RouterFixture r = new RouterFixture(yaml(legacy, modern), dir, Map.of(), clock)) {
                assertThat(r.router.promotions().of("shop-pages").status().phase()).isEqualTo(Phase.ROLLED_BACK);
                assertThat(servedBy(r, early)).isEqualTo("legacy");
            }
        }
    }

    @Test
    void aRestartResumesFromTheSavedShare() throws Exception {
        String later = idIn(10, 20);
        TestClock clock = new TestClock();
        try (JsonBackend legacy = new JsonBackend("legacy", (m, id) -> "1");
             JsonBackend modern = new JsonBackend("modern", (m, id) -> "1")) {
            try (RouterFixture r = new RouterFixture(yaml(legacy, modern), dir, Map.of(), clock)) {
                for (int i = 0; i < 5; i++) {
                    servedBy(r, idIn(0, 10));
                }
                assertThat(recorded(r, "2xx", 5)).isTrue();
                clock.advance(Duration.ofMinutes(10));
                r.router.promotions().checkNow();
                assertThat(r.router.promotions().of("shop-pages").status().percent()).isEqualTo(20.0);
            }
            try (RouterFixture r = new RouterFixture(yaml(legacy, modern), dir, Map.of(), clock)) {
                assertThat(r.router.promotions().of("shop-pages").status().percent()).isEqualTo(20.0);
                assertThat(servedBy(r, later)).isEqualTo("modern");
            }
        }
    }

    @Test
    void badShadowAndPromoteSettingsAreOneLineUsageErrors() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("when: {id: {in: shops, promote: {step: 10}}}", "only a 'percent:' rollout can be promoted");
        cases.put("when: {id: {percent: 5, promote: {step: 0}}}", ".promote.step: must be above 0");
        cases.put("when: {id: {percent: 5, promote: {every: soon}}}", "promote.every");
        cases.put("when: {id: {percent: 5, promote: {max_5xx_ratio: 2}}}", "ratios between 0 and 1");
        cases.put("shadow: {to: modern, diffs: d.jsonl}", "is the route's own backend");
        cases.put("shadow: {to: nowhere, diffs: d.jsonl}", "unknown backend 'nowhere'");
        cases.put("shadow: {to: legacy}", "shadow.diffs: missing");
        cases.put("shadow: {to: legacy, diffs: d.jsonl, ignore: [generated_at]}", "is not a JSON path");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String yaml = """
                    listen: 127.0.0.1:0
                    backends: {legacy: {url: "http://127.0.0.1:1"}, modern: {url: "http://127.0.0.1:2"}}
                    default: legacy
                    lists: {shops: {source: "file:shops.txt"}}
                    routes:
                      - {name: r, path: '^/s/(?<id>[0-9]+)', to: modern, %s}
                    """.formatted(c.getKey());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RouterFixture.settings(yaml, dir, Map.of()))
                    .as(c.getKey()).isInstanceOf(io.cutover.core.error.CutoverException.class)
                    .hasMessageStartingWith("router.yaml: routes[0] 'r'").hasMessageContaining(c.getValue())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
                    .satisfies(e -> assertThat(((io.cutover.core.error.CutoverException) e).exitCode().code()).isEqualTo(2));
        }
    }

    @Test
    void shadowDifferencesRollThePromotionBack() throws Exception {
        String early = idIn(0, 10);
        TestClock clock = new TestClock();
        try (JsonBackend legacy = new JsonBackend("legacy", (m, id) -> "19.99");
             JsonBackend modern = new JsonBackend("modern", (m, id) -> "25.00")) {
            // the new backend answers; the old one gets a copy, and the prices disagree
            try (RouterFixture r = new RouterFixture("""
                    listen: 127.0.0.1:0
                    backends:
                      legacy: {url: "%s"}
                      modern: {url: "%s"}
                    default: legacy
                    routes:
                      - name: shop-pages
                        path: '^/shops/(?<id>[0-9]+)'
                        to: modern
                        when: {id: {percent: 10, promote: {step: 10, every: 10m, max_diff_ratio: 0.1, min_requests: 5}}}
                        shadow: {to: legacy, ignore: ["$.served_by"], diffs: diffs.jsonl}
                    """.formatted(legacy.url(), modern.url()), dir, Map.of(), clock)) {
                for (int i = 0; i < 5; i++) {
                    assertThat(servedBy(r, early)).isEqualTo("modern");
                }
                assertThat(RouterFixture.eventually(Duration.ofSeconds(10),
                        () -> r.router.shadows().of("shop-pages").compared() == 5)).isTrue();
                assertThat(recorded(r, "2xx", 5)).isTrue();
                r.router.promotions().checkNow();
                PromotionStatus s = r.router.promotions().of("shop-pages").status();
                assertThat(s.phase()).isEqualTo(Phase.ROLLED_BACK);
                assertThat(s.reason()).contains("shadow diff ratio 1.0000 (5 of 5) > max_diff_ratio 0.1");
                assertThat(r.metric("cutover_router_promotion_rollbacks_total{bound=\"max_diff_ratio\",route=\"shop-pages\",}")).isEqualTo(1.0);
            }
        }
    }
}
