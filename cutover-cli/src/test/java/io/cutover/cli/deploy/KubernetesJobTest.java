package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** deploy/kubernetes/sql-window-job.yaml: an Indexed Job whose workers split one window. */
class KubernetesJobTest {
    private static final String FILE = "kubernetes/sql-window-job.yaml";

    private static IndexedJobCheck check(List<JsonNode> docs) {
        JsonNode job = docs.stream().filter(d -> "Job".equals(d.path("kind").asText())).findFirst().orElseThrow();
        return new IndexedJobCheck(job, docs);
    }

    private static ObjectNode container(List<JsonNode> docs) {
        JsonNode job = docs.stream().filter(d -> "Job".equals(d.path("kind").asText())).findFirst().orElseThrow();
        return (ObjectNode) job.path("spec").path("template").path("spec").path("containers").get(0);
    }

    @Test
    void shippedManifestHoldsEveryFieldTheWorkersNeed() throws IOException {
        List<JsonNode> docs = DeployFiles.yamlDocuments(FILE);
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("ConfigMap", "Job");
        assertThat(check(docs).problems()).isEmpty();
    }

    @Test
    void workersTotalDifferentFromCompletionsIsReported() throws IOException {
        List<JsonNode> docs = DeployFiles.yamlDocuments(FILE);
        JsonNode job = docs.get(1);
        ((ObjectNode) job.path("spec")).put("completions", 3).put("parallelism", 3);
        assertThat(check(docs).problems()).containsExactly("--workers-total is 4, expected 3");
    }

    @Test
    void passwordWrittenIntoTheManifestIsReported() throws IOException {
        List<JsonNode> docs = DeployFiles.yamlDocuments(FILE);
        ObjectNode env = (ObjectNode) container(docs).path("env").get(0);
        env.remove("valueFrom");
        env.put("value", "hunter2");
        assertThat(check(docs).problems()).containsExactly("env SOURCE_PASSWORD must come from a Secret (valueFrom.secretKeyRef)");
    }

    @Test
    void planNeedingAVariableTheJobDoesNotSetIsReported() throws IOException {
        List<JsonNode> docs = DeployFiles.yamlDocuments(FILE);
        ObjectNode data = (ObjectNode) docs.get(0).path("data");
        data.put("plan.yaml", data.path("plan.yaml").asText().replace("${TARGET_PASSWORD}", "${MODERN_PASSWORD}"));
        assertThat(check(docs).problems())
                .contains("the plan needs ${MODERN_PASSWORD}, which the container's env does not set")
                .anySatisfy(p -> assertThat(p).startsWith("the plan does not load: ").contains("MODERN_PASSWORD"));
    }

    @Test
    void planMountedFromAnotherVolumeKindIsReported() throws IOException {
        List<JsonNode> docs = DeployFiles.yamlDocuments(FILE);
        ObjectNode volume = (ObjectNode) docs.get(1).path("spec").path("template").path("spec").path("volumes").get(0);
        volume.remove("configMap");
        volume.putObject("emptyDir");
        assertThat(check(docs).problems()).containsExactly("the plan's volume plan is not a ConfigMap");
    }

    @Test
    void argsParseWithTheRealCommand() throws IOException {
        List<String> args = IndexedJobCheck.args(container(DeployFiles.yamlDocuments(FILE)));
        CommandLine.ParseResult migrate = WorkerArgs.parse(args);
        assertThat(migrate.commandSpec().qualifiedName()).isEqualTo("cutover sql migrate");
        assertThat(migrate.matchedOption("--plan").originalStringValues()).containsExactly("/plan/plan.yaml");
        assertThat(migrate.matchedOption("--until").originalStringValues()).containsExactly("2024-02-01");
        WorkerArgs.assertWorkerOptions(migrate, 4);
    }

    @Test
    void argsWithAnUnknownOptionDoNotParse() throws IOException {
        List<String> args = new ArrayList<>(IndexedJobCheck.args(container(DeployFiles.yamlDocuments(FILE))));
        args.add("--no-such-option");
        assertThatThrownBy(() -> WorkerArgs.parse(args))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
                .hasMessageContaining("--no-such-option");
    }
}
