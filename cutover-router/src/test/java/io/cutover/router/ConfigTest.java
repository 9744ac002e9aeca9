package io.cutover.router;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.router.check.RouterCheck;
import io.cutover.router.config.RouterSettings;
import io.cutover.router.support.RouterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {
    private static final String BASE = """
            listen: 127.0.0.1:8080
            admin: 127.0.0.1:9090
            backends:
              legacy: {url: "http://127.0.0.1:8081", max_connections: 256, connect_timeout: 2s, timeout: 30s}
              modern: {url: "http://127.0.0.1:8082"}
            default: legacy
            lists:
              shops: {source: "file:shops.txt", refresh: 10s, max_shrink: 50%}
            routes:
              - name: shop-pages
                path: '^/shops/(?<id>[0-9]+)(/.*)?$'
                to: modern
                when: {id: {in: shops}}
              - name: new-assets
                path: '^/_nuxt/'
                to: modern
            session:
              cookie: SESSION
              resolve: "http://127.0.0.1:8083/sessions/{cookie}"
              cache: 30s
              on_error: anonymous
              token: {header: X-Session-Token, issuer: cutover, audience: modern, ttl: 60s, key: "${SESSION_JWT_KEY}"}
              for: [modern]
            """;
    private static final Map<String, String> ENV = Map.of("SESSION_JWT_KEY", "k".repeat(40));

    @TempDir
    Path dir;

    private RouterSettings settings(String yaml) {
        return RouterFixture.settings(yaml, dir, ENV);
    }

    private void assertUsage(String yaml, String... messageParts) {
        assertThatThrownBy(() -> settings(yaml))
                .isInstanceOfSatisfying(CutoverException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .message().contains(messageParts).doesNotContain("\n");
    }

    @Test
    void theReadmeExampleIsValid() throws Exception {
        RouterSettings s = settings(BASE);
        assertThat(s.routes()).hasSize(2);
        assertThat(s.lists().get("shops").maxShrink()).isEqualTo(0.5);
        assertThat(s.session().token().toString()).doesNotContain("kkkk");
        Files.writeString(dir.resolve("shops.txt"), "10\n25\n");
        RouterCheck.Report report = RouterCheck.check(s, "router.yaml");
        assertThat(report.lists()).singleElement().satisfies(l -> assertThat(l.ids()).isEqualTo(2));
    }

    @Test
    void badRegexIsNamed() {
        assertUsage(BASE.replace("'^/_nuxt/'", "'^/_nuxt/(['"), "routes[1] 'new-assets'.path: regex does not compile");
    }

    @Test
    void whenNeedsANamedGroup() {
        assertUsage(BASE.replace("(?<id>[0-9]+)", "([0-9]+)"), "when.id: the path regex has no named group (?<id>");
    }

    @Test
    void unknownBackendsAndListsAreNamed() {
        assertUsage(BASE.replace("to: modern\n    when", "to: modrn\n    when"), "unknown backend 'modrn'", "known: ");
        assertUsage(BASE.replace("in: shops", "in: stores"), "unknown list 'stores'");
        assertUsage(BASE.replace("default: legacy", "default: old"), "default: unknown backend 'old'");
        assertUsage(BASE.replace("for: [modern]", "for: [billing]"), "session.for: unknown backend 'billing'");
    }

    @Test
    void badValuesAreNamed() {
        assertUsage(BASE.replace("\"http://127.0.0.1:8082\"", "\"ftp://x\""), "backends.modern.url", "not an http(s) URL");
        assertUsage(BASE.replace("refresh: 10s", "refresh: soon"), "lists.shops.refresh: not a duration");
        assertUsage(BASE.replace("max_shrink: 50%", "max_shrink: 150%"), "max_shrink: must be between");
        assertUsage(BASE.replace("source: \"file:shops.txt\"", "source: \"s3://bucket/x\""), "neither file:PATH nor an http(s) URL");
        assertUsage(BASE.replace("{id: {in: shops}}", "{id: {percent: 120}}"), "percent: must be between 0 and 100");
        assertUsage(BASE.replace("{id: {in: shops}}", "{id: {in: shops, percent: 5}}"), "exactly one of");
        assertUsage(BASE.replace("listen: 127.0.0.1:8080", "listen: localhost"), "listen: 'localhost' is not host:port");
        assertUsage(BASE.replace("on_error: anonymous", "on_error: ignore"), "on_error: expected anonymous or reject");
        assertUsage(BASE + "typo: 1\n", "unknown field 'typo'");
        assertUsage(BASE.replace("name: new-assets", "name: shop-pages"), "route name 'shop-pages' is used twice");
        assertUsage(BASE.replace("name: new-assets", "name: default"), "'default' is reserved");
    }

    @Test
    void missingKeyIsAClearError() {
        assertThatThrownBy(() -> RouterFixture.settings(BASE, dir, Map.of()))
                .hasMessageContaining("environment variable SESSION_JWT_KEY is not set");
        assertThatThrownBy(() -> RouterFixture.settings(BASE, dir, Map.of("SESSION_JWT_KEY", "")))
                .hasMessageContaining("session.token.key: missing or empty");
        RouterSettings s = RouterFixture.settings(BASE.replace("file:shops.txt", "file:/dev/null"), dir,
                Map.of("SESSION_JWT_KEY", "short"));
        assertThatThrownBy(() -> RouterCheck.check(s, "router.yaml"))
                .hasMessageContaining("session.token.key: an HS256 key needs at least 32 bytes");
    }

    @Test
    void checkReadsEveryList() throws Exception {
        RouterSettings s = settings(BASE);
        assertThatThrownBy(() -> RouterCheck.check(s, "router.yaml")).hasMessageContaining("lists.shops").hasMessageContaining("no such file");
        Files.writeString(dir.resolve("shops.txt"), "10\n<html>\n");
        assertThatThrownBy(() -> RouterCheck.check(s, "router.yaml")).hasMessageContaining("line 2: not an id");
    }
}
