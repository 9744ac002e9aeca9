package io.cutover.core.config;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    record Backend(String url, int maxConnections) {
    }

    record Config(String listen, Map<String, Backend> backends, List<String> tags) {
    }

    private final ConfigLoader loader = new ConfigLoader(new EnvSubstitution(Map.of("PORT", "8081", "EMPTY", "")::get));

    @Test
    void bindsSnakeCaseFieldsAfterSubstitution() {
        Config c = loader.parse("""
                listen: 127.0.0.1:8080
                backends:
                  legacy: {url: "http://127.0.0.1:${PORT}", max_connections: 256}
                tags: ["${MISSING:-fallback}", "${EMPTY:-was-empty}", "$${PORT}"]
                """, "router.yaml", Config.class);
        assertThat(c.backends().get("legacy")).isEqualTo(new Backend("http://127.0.0.1:8081", 256));
        assertThat(c.tags()).containsExactly("fallback", "was-empty", "${PORT}");
    }

    @Test
    void referencesListEachVariableOnceRequiredWhereAnyReferenceHasNoDefault() {
        String text = "a: ${PASSWORD}\nb: ${PORT:-5432}\nc: $${LITERAL}\nd: ${HOST:-x}-${PASSWORD}\ne: ${HOST}\n";
        assertThat(EnvSubstitution.references(text)).containsExactly(
                new EnvSubstitution.Reference("PASSWORD", false),
                new EnvSubstitution.Reference("PORT", true),
                new EnvSubstitution.Reference("HOST", false));
    }

    @Test
    void unknownFieldNamesFileLineAndColumn() {
        assertThatThrownBy(() -> loader.parse("listen: x\nbackends:\n  a: {url: u, max_conections: 3}\n", "r.yaml", Config.class))
                .isInstanceOfSatisfying(CutoverException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.getMessage()).startsWith("r.yaml:3:").contains("unknown field 'max_conections'")
                            .contains("known: max_connections, url").doesNotContain("\n");
                });
    }

    @Test
    void malformedYamlIsOneLineWithPosition() {
        assertThatThrownBy(() -> loader.parse("listen: \"unterminated\nbackends: {}\n", "r.yaml", Config.class))
                .isInstanceOf(CutoverException.class)
                .hasMessageMatching("r\\.yaml:[0-9]+:[0-9]+: .*")
                .hasMessageNotContaining("\n");
    }

    @Test
    void yamlSyntaxErrorSaysWhatAndWhereWithoutExcerpts() {
        assertThatThrownBy(() -> loader.parse("backends: {a: {url: u}\ntags: [\n", "p.yaml", Config.class))
                .isInstanceOf(CutoverException.class)
                .hasMessage("p.yaml:2:1: while parsing a flow mapping: expected ',' or '}', but got <scalar>");
    }

    @Test
    void wrongTypeNamesTheField() {
        assertThatThrownBy(() -> loader.parse("backends:\n  a: {url: u, max_connections: lots}\n", "r.yaml", Config.class))
                .hasMessageStartingWith("r.yaml:2:").hasMessageContaining("at 'max_connections'");
    }

    @Test
    void aSingleValueWhereAListGoesIsAListOfOne() {
        Config c = loader.parse("listen: x\ntags: solo\n", "r.yaml", Config.class);
        assertThat(c.tags()).containsExactly("solo");
    }

    @Test
    void aWrongKindOfValueSaysWhatWasExpectedAndWhatWasGiven() {
        assertThatThrownBy(() -> loader.parse("backends:\n  a: {url: u, max_connections: lots}\n", "r.yaml", Config.class))
                .hasMessageStartingWith("r.yaml:2:").hasMessageEndingWith(": at 'max_connections': expected a whole number, got 'lots'");
        assertThatThrownBy(() -> loader.parse("listen: [a, b]\n", "r.yaml", Config.class))
                .hasMessageStartingWith("r.yaml:1:").hasMessageEndingWith(": at 'listen': expected a single value, got a list");
        assertThatThrownBy(() -> loader.parse("backends: five\n", "r.yaml", Config.class))
                .hasMessageStartingWith("r.yaml:1:").hasMessageEndingWith("at 'backends': expected a mapping, e.g. {name: value}, got 'five'");
        assertThatThrownBy(() -> loader.parse("tags: {a: b}\n", "r.yaml", Config.class))
                .hasMessageStartingWith("r.yaml:1:").hasMessageEndingWith("at 'tags' item 1: expected a single value, got a mapping");
        assertThatThrownBy(() -> loader.parse("tags: [a, {b: c}]\n", "r.yaml", Config.class))
                .hasMessageStartingWith("r.yaml:1:").hasMessageEndingWith("at 'tags' item 2: expected a single value, got a mapping");
    }

    @Test
    void missingVariableWithoutDefaultIsAnError() {
        assertThatThrownBy(() -> loader.parse("listen: x\nkey: ${SESSION_JWT_KEY}\n", "r.yaml", Config.class))
                .hasMessage("r.yaml:2: environment variable SESSION_JWT_KEY is not set (use ${SESSION_JWT_KEY:-default} for a default)");
    }

    @Test
    void missingAndEmptyFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml"), Config.class)).hasMessageEndingWith("nope.yaml: no such file");
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThatThrownBy(() -> loader.load(empty, Config.class)).hasMessageEndingWith("empty.yaml: the file is empty");
        Path ok = Files.writeString(dir.resolve("ok.yaml"), "listen: a\n");
        assertThat(loader.loadTree(ok).get("listen").asText()).isEqualTo("a");
    }
}
