package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** deploy/kubernetes/: Indexed Jobs whose workers split one sql window and one Redis copy. */
class KubernetesJobTest {
    private static final String FILE = "kubernetes/sql-window-job.yaml";
    private static final String REDIS_FILE = "kubernetes/redis-copy-job.yaml";

    private static IndexedJobCheck check(List<JsonNode> docs) {
        return check(docs, List.of("sql", "migrate"));
    }

    private static IndexedJobCheck check(List<JsonNode> docs, List<String> command) {
        JsonNode job = docs.stream().filter(d -> "Job".equals(d.path("kind").asText())).findFirst().orElseThrow();
        return new IndexedJobCheck(job, docs, command);
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
    void redisCopyJobHoldsEveryFieldTheWorkersNeed() throws IOException {
        List<JsonNode> docs = DeployFiles.yamlDocuments(REDIS_FILE);
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("Job");
        assertThat(check(docs, List.of("redis", "copy")).problems()).isEmpty();
        CommandLine.ParseResult copy = WorkerArgs.parse(IndexedJobCheck.args(container(docs)));
        assertThat(copy.commandSpec().qualifiedName()).isEqualTo("cutover redis copy");
        assertThat(copy.matchedOption("--include").originalStringValues()).containsExactly("session:*");
        WorkerArgs.assertWorkerOptions(copy, 3);
    }

    @Test
    void passwordInARedisUriIsReported() throws IOException {
        List<JsonNode> docs = DeployFiles.yamlDocuments(REDIS_FILE);
        ArrayNode args = (ArrayNode) container(docs).path("args");
        args.set(3, args.get(3).asText().replace("rediss://", "rediss://default:hunter2@"));
        assertThat(check(docs, List.of("redis", "copy")).problems())
                .containsExactly("a password in the args: rediss://default:hunter2@sessions-old.example.internal:6379");
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
