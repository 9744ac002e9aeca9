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

    @Test
    void diffsSummarisesAShadowFileAsATableOrJson() throws Exception {
        Path f = Files.writeString(dir.resolve("diffs.jsonl"), """
                {"kind":"diff","time":"2026-12-06T19:00:00Z","route":"items","method":"GET","target":"/api/items/7","fields":[{"field":"$.price","primary":19.99,"shadow":21.0}],"primary":{"status":200,"headers":{},"body":"{}"},"shadow":{"status":200,"headers":{},"body":"{}"}}
                {"kind":"diff","time":"2026-12-06T19:00:01Z","route":"items","method":"GET","target":"/api/items/8","fields":[{"field":"$.price","primary":5,"shadow":6},{"field":"status","primary":200,"shadow":404}],"primary":{"status":200,"headers":{},"body":"{}"},"shadow":{"status":404,"headers":{},"body":"{}"}}
                {"kind":"count","time":"2026-12-06T19:00:02Z","route":"items","compared":40,"differing":2,"fields":{"$.price":2,"status":1}}
                """);
        Run table = run("router", "diffs", "--file", f.toString());
        assertThat(table.code()).isEqualTo(1);
        assertThat(table.out()).startsWith("40 compared, 2 differing (5.00%)")
                .containsPattern("\\$\\.price +2 +GET /api/items/7: 19.99 -> 21.0")
                .containsPattern("status +1 +GET /api/items/8: 200 -> 404");
        Run json = run("router", "diffs", "--file", f.toString(), "--format", "json");
        assertThat(json.code()).isEqualTo(1);
        assertThat(json.out().replaceAll("\\s", "")).startsWith("{\"compared\":40,\"differing\":2,\"fields\":[{\"field\":\"$.price\",\"count\":2,\"example\":{");

        Files.writeString(f, "{\"kind\":\"count\",\"route\":\"items\",\"compared\":3,\"differing\":0,\"fields\":{}}\n");
        Run clean = run("router", "diffs", "--file", f.toString());
        assertThat(clean.code()).isZero();
        assertThat(clean.out()).isEqualTo("3 compared, 0 differing (0.00%)\n");
    }

    @Test
    void diffsRejectsAMissingOrForeignFileWithOneLineAndExit2() throws Exception {
        Run missing = run("router", "diffs", "--file", dir.resolve("nope.jsonl").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).startsWith("cutover: ").contains("does not exist").doesNotContain("\n");
        Path html = Files.writeString(dir.resolve("page.html"), "<html></html>\n");
        Run foreign = run("router", "diffs", "--file", html.toString());
        assertThat(foreign.code()).isEqualTo(2);
        assertThat(foreign.err().strip()).contains("page.html:1: not a JSON line").doesNotContain("\n");
    }
}
