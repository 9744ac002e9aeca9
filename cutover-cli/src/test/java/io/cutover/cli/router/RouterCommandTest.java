package io.cutover.cli.router;

import io.cutover.cli.Cutover;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RouterCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cutover.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path config(String routePath) throws Exception {
        Files.writeString(dir.resolve("shops.txt"), "10\n25\n");
        return Files.writeString(dir.resolve("router.yaml"), """
                listen: 127.0.0.1:8080
                admin: 127.0.0.1:9090
                backends:
                  legacy: {url: "http://127.0.0.1:8081"}
                  modern: {url: "http://127.0.0.1:8082"}
                default: legacy
                lists:
                  shops: {source: "file:shops.txt", refresh: 10s}
                routes:
                  - name: shop-pages
                    path: '%s'
                    to: modern
                    when: {id: {in: shops}}
                """.formatted(routePath));
    }

    @Test
    void checkAcceptsAValidConfig() throws Exception {
        Run r = run("router", "check", "--config", config("^/shops/(?<id>[0-9]+)").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(": OK").contains("shop-pages").contains("shops").contains("2");
        Run json = run("router", "check", "--config", config("^/shops/(?<id>[0-9]+)").toString(), "--format", "json");
        assertThat(json.code()).isZero();
        assertThat(json.out()).contains("\"routes\" : [ \"shop-pages\" ]").contains("\"ids\" : 2")
                .contains("\"default\" : ").doesNotContain("defaultBackend");
    }

    @Test
    void checkRejectsAMissingNamedGroupWithOneLineAndExit2() throws Exception {
        Run r = run("router", "check", "--config", config("^/shops/([0-9]+)").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("cutover: ").contains("no named group (?<id>").doesNotContain("\n");
    }

    @Test
    void checkRejectsAnUnreadableList() throws Exception {
        Path cfg = config("^/shops/(?<id>[0-9]+)");
        Files.delete(dir.resolve("shops.txt"));
        Run r = run("router", "check", "--config", cfg.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("lists.shops").contains("no such file");
    }

    @Test
    void missingConfigFileAndMissingOptionAreUsageErrors() {
        assertThat(run("router", "check", "--config", dir.resolve("nope.yaml").toString()).code()).isEqualTo(2);
        Run r = run("router", "run");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--config");
    }

    @Test
    void runWithABadConfigFailsBeforeListening() throws Exception {
        Run r = run("router", "run", "--config", config("^/shops/([0-9]+)").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).doesNotContain("listening");
    }

    @Test
    void keygenPrintsAUsableEs256Pair() {
        Run r = run("router", "keygen");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"crv\":\"P-256\"").contains("\"d\":");
    }

    @Test
    void demoActMovesShop42() {
        Run r = run("demo", "--act", "router");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("GET /shops/42/menu   -> legacy").contains("GET /shops/42/menu   -> modern")
                .contains("cutover_router_list_size{list=\"shops\"} 2.0");
    }
}
