package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cutover.cli.Cutover;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.PlanLoader;
import io.cutover.core.config.EnvSubstitution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cutover sql migrate … --print-k8s-job}: the printed ConfigMap and Indexed Job, read back as kubectl would
 * read them, their worker command parsed by the real command model and their plan loaded by the real PlanLoader.
 */
class PrintKubernetesJobTest {
    private static final String SHIPPED = "kubernetes/sql-window-job.yaml";
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Variables, a default, a literal $${…}, quotes, colons, non-ASCII, a comment and a multi-line query. */
    private static final String AWKWARD_PLAN = """
            # Légacy → modern: "quoted", 'single', key: value, # not a comment, ${NOT_SET:-}
            source: {url: "jdbc:postgresql://legacy:${PG_PORT:-5432}/legacy?ssl=true&x=a:b", user: "o'brien", password: "${SOURCE_PASSWORD}"}
            target: {url: "jdbc:postgresql://modern:5432/modern", user: cutover, password: "${TARGET_PASSWORD}"}
            steps:
              - name: users
                query: |
                  SELECT id, name AS "display: name", '$${NOT_A_VARIABLE}' AS literal, 'Zoë 日本' AS greeting,
                         updated_at
                  FROM users
                key: id
                changed: [updated_at]
                into: accounts
                target_key: id
                columns: {display_name: "\\"display: name\\"", note: "literal || greeting"}
            """;

    record Result(int exit, String out, String err) {
    }

    static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cutover.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args.toArray(String[]::new));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> migrate(Path plan, String... more) {
        List<String> args = new ArrayList<>(List.of("sql", "migrate", "--plan", plan.toString(), "--since", "2024-01-01", "--until", "2024-02-01"));
        args.addAll(List.of(more));
        return args;
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    private static List<JsonNode> printed(List<String> args) throws IOException {
        Result r = run(args);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        return documents(r.out());
    }

    private static JsonNode container(List<JsonNode> docs) {
        return docs.get(1).path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void shippedManifestIsWhatThePrintPrints(@TempDir Path dir) throws IOException {
        String shipped = Files.readString(DeployFiles.DIR.resolve(SHIPPED));
        List<JsonNode> docs = documents(shipped);
        Path plan = write(dir, "plan.yaml", docs.get(0).path("data").path("plan.yaml").asText());
        List<String> args = new ArrayList<>(IndexedJobCheck.args(container(docs)));
        args.set(args.indexOf("--plan") + 1, plan.toString());
        args.subList(args.indexOf("--worker"), args.indexOf("--worker") + 2).clear();
        args.addAll(List.of("--print-k8s-job", "--image", container(docs).path("image").asText()));

        Result r = run(args);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).as("deploy/%s is the output of `cutover %s`: print it again", SHIPPED,
                String.join(" ", args).replace(plan.toString(), "plan.yaml")).isEqualTo(shipped);
    }

    @Test
    void printedJobHoldsEveryFieldTheWorkersNeed(@TempDir Path dir) throws IOException {
        Path plan = write(dir, "plan.yaml", AWKWARD_PLAN);
        List<JsonNode> docs = printed(migrate(plan, "--workers-total", "8", "--print-k8s-job"));

        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("ConfigMap", "Job");
        assertThat(new IndexedJobCheck(docs.get(1), docs, List.of("sql", "migrate")).problems()).isEmpty();
        JsonNode configMap = docs.get(0);
        assertThat(configMap.path("metadata").path("name").asText()).isEqualTo("cutover-sql-window-plan");
        JsonNode job = docs.get(1);
        assertThat(job.path("metadata").path("name").asText()).isEqualTo("cutover-sql-window");
        assertThat(job.path("metadata").has("namespace")).isFalse();
        JsonNode spec = job.path("spec");
        assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
        assertThat(spec.path("completions").asInt()).isEqualTo(8);
        assertThat(spec.path("parallelism").asInt()).isEqualTo(8);
        assertThat(spec.path("backoffLimitPerIndex").asInt()).isEqualTo(2);
        JsonNode rules = spec.path("podFailurePolicy").path("rules");
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).path("action").asText()).isEqualTo("FailJob");
        assertThat(rules.get(0).path("onExitCodes").path("values").toString()).isEqualTo("[2]");
        assertThat(rules.get(0).path("onExitCodes").path("containerName").asText()).isEqualTo("cutover");
        assertThat(rules.get(1).path("action").asText()).isEqualTo("FailIndex");
        assertThat(rules.get(1).path("onExitCodes").path("values").toString()).isEqualTo("[1]");
        assertThat(rules.get(2).path("action").asText()).isEqualTo("Ignore");
        assertThat(rules.get(2).path("onPodConditions").toString()).isEqualTo("[{\"type\":\"DisruptionTarget\",\"status\":\"True\"}]");
        JsonNode pod = spec.path("template").path("spec");
        assertThat(pod.path("restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.path("securityContext").toString()).isEqualTo("{\"runAsNonRoot\":true,\"runAsUser\":65532,\"runAsGroup\":65532}");
        JsonNode container = container(docs);
        assertThat(container.path("image").asText()).isEqualTo("cutover:" + Cutover.Version.number());
        assertThat(container.path("volumeMounts").toString()).isEqualTo("[{\"name\":\"plan\",\"mountPath\":\"/plan\",\"readOnly\":true}]");
        assertThat(pod.path("volumes").toString()).isEqualTo("[{\"name\":\"plan\",\"configMap\":{\"name\":\"cutover-sql-window-plan\"}}]");

        // every ${VAR} of the plan (in a comment too: the loader reads those) from the Secret, under its own name;
        // those with a default may be missing from it
        List<String> env = new ArrayList<>();
        container.path("env").forEach(e -> env.add(e.toString()));
        assertThat(env).containsExactly(
                "{\"name\":\"NOT_SET\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"cutover-sql-window-secret\",\"key\":\"NOT_SET\",\"optional\":true}}}",
                "{\"name\":\"PG_PORT\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"cutover-sql-window-secret\",\"key\":\"PG_PORT\",\"optional\":true}}}",
                "{\"name\":\"SOURCE_PASSWORD\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"cutover-sql-window-secret\",\"key\":\"SOURCE_PASSWORD\"}}}",
                "{\"name\":\"TARGET_PASSWORD\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"cutover-sql-window-secret\",\"key\":\"TARGET_PASSWORD\"}}}",
                "{\"name\":\"JDK_JAVA_OPTIONS\",\"value\":\"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC\"}");
    }

    @Test
    void commentSaysHowToCreateTheSecretFirst(@TempDir Path dir) throws IOException {
        Path plan = write(dir, "plan.yaml", AWKWARD_PLAN);
        Result r = run(migrate(plan, "--workers-total", "8", "--print-k8s-job", "--job-name", "jan-window", "--namespace", "migration"));
        assertThat(r.exit()).isZero();
        List<String> comments = r.out().lines().takeWhile(l -> l.startsWith("#")).toList();
        assertThat(comments).contains("#   kubectl create secret generic jan-window-secret --namespace migration "
                + "--from-literal=SOURCE_PASSWORD='…' --from-literal=TARGET_PASSWORD='…'");
        assertThat(comments).anySatisfy(c -> assertThat(c).contains("(NOT_SET, PG_PORT have a default in the plan and may be left out)"));
        List<JsonNode> docs = documents(r.out());
        assertThat(docs).extracting(d -> d.path("metadata").path("namespace").asText()).containsExactly("migration", "migration");
        assertThat(docs.get(0).path("metadata").path("name").asText()).isEqualTo("jan-window-plan");
        assertThat(docs.get(1).path("metadata").path("name").asText()).isEqualTo("jan-window");
        assertThat(container(docs).path("env").get(2).path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("jan-window-secret");
    }

    @Test
    void containerRunsTheCommandAsTypedWithWorkerAutoAndTheMountedPlan(@TempDir Path dir) throws IOException {
        Path plan = write(dir, "plan.yaml", AWKWARD_PLAN);
        List<String> typed = migrate(plan, "--batch", "1000", "--workers-total", "8", "--shard-by", "range", "--lease=90s",
                "--print-k8s-job", "--image", "registry.example.com/cutover:1.2", "--job-name", "w", "--namespace", "ns",
                "--job-parallelism", "3", "--allow-future", "--format", "json");
        List<JsonNode> docs = printed(typed);
        assertThat(docs.get(1).path("spec").path("completions").asInt()).isEqualTo(8);
        assertThat(docs.get(1).path("spec").path("parallelism").asInt()).isEqualTo(3);
        assertThat(container(docs).path("image").asText()).isEqualTo("registry.example.com/cutover:1.2");

        List<String> args = IndexedJobCheck.args(container(docs));
        CommandLine.ParseResult worker = WorkerArgs.parse(args);
        assertThat(worker.commandSpec().qualifiedName()).isEqualTo("cutover sql migrate");
        WorkerArgs.assertWorkerOptions(worker, 8);
        assertThat(worker.matchedOption("--plan").originalStringValues()).containsExactly("/plan/plan.yaml");
        assertThat(args).doesNotContain("--print-k8s-job", "--image", "--job-name", "--namespace", "--job-parallelism");

        // every other option resolves to what was typed
        CommandLine.ParseResult asTyped = WorkerArgs.parse(typed);
        Set<String> setByTheJob = Set.of("--plan", "--worker", "--print-k8s-job", "--image", "--job-name", "--namespace", "--job-parallelism");
        Set<String> expected = new HashSet<>();
        asTyped.matchedOptions().stream().filter(o -> !setByTheJob.contains(o.longestName()))
                .forEach(o -> expected.add(o.longestName() + "=" + asTyped.matchedOptionValue(o.longestName(), null)));
        Set<String> actual = new HashSet<>();
        worker.matchedOptions().stream().filter(o -> !setByTheJob.contains(o.longestName()))
                .forEach(o -> actual.add(o.longestName() + "=" + worker.matchedOptionValue(o.longestName(), null)));
        assertThat(actual).isEqualTo(expected)
                .contains("--since=2024-01-01", "--until=2024-02-01", "--workers-total=8", "--batch=1000", "--shard-by=range",
                        "--lease=90s", "--allow-future=true", "--format=json");
    }

    @Test
    void planInTheConfigMapIsTheFileByteForByteAndLoadsAsTheFileDoes(@TempDir Path dir) throws IOException {
        Path plan = write(dir, "plan.yaml", AWKWARD_PLAN);
        Result r = run(migrate(plan, "--workers-total", "2", "--print-k8s-job"));
        assertThat(r.exit()).isZero();
        // readable: a literal block, not one escaped line
        assertThat(r.out()).contains("  plan.yaml: |\n    # Légacy → modern: \"quoted\", 'single', key: value");
        List<JsonNode> docs = documents(r.out());
        String inConfigMap = docs.get(0).path("data").path("plan.yaml").textValue();
        assertThat(inConfigMap.getBytes(StandardCharsets.UTF_8)).isEqualTo(Files.readAllBytes(plan));

        // the worker's PlanLoader, with the variables the Job sets, reads what a local run reads
        EnvSubstitution env = new EnvSubstitution(name -> name.endsWith("PASSWORD") ? "secret-" + name : null);
        Plan fromJob = new PlanLoader(env).parse(inConfigMap, IndexedJob.PLAN_PATH);
        Plan fromFile = new PlanLoader(env).load(plan);
        assertThat(fromJob).isEqualTo(fromFile);
        assertThat(fromJob.source().url()).isEqualTo("jdbc:postgresql://legacy:5432/legacy?ssl=true&x=a:b");
        assertThat(fromJob.source().password()).isEqualTo("secret-SOURCE_PASSWORD");
        assertThat(fromJob.steps().get(0).query()).contains("'${NOT_A_VARIABLE}' AS literal, 'Zoë 日本' AS greeting,\n");
    }

    @Test
    void planNoBlockCanHoldIsQuotedAndStillExact(@TempDir Path dir) throws IOException {
        for (String text : List.of(AWKWARD_PLAN.replace("\n", "\r\n"), AWKWARD_PLAN.replace("legacy?", "legacy\u0085?"),
                AWKWARD_PLAN.replace("FROM users\n", "FROM users\n\n\n"), AWKWARD_PLAN.stripTrailing(), "\uFEFF" + AWKWARD_PLAN,
                AWKWARD_PLAN.replace("steps:\n", "# tab\there, trailing space \nsteps:\n"), "  " + AWKWARD_PLAN.replace("\n", "\n  "))) {
            Path plan = write(dir, "plan.yaml", text);
            Result r = run(migrate(plan, "--workers-total", "2", "--print-k8s-job"));
            assertThat(r.exit()).as(r.err()).isZero();
            String inConfigMap = documents(r.out()).get(0).path("data").path("plan.yaml").textValue();
            assertThat(inConfigMap.getBytes(StandardCharsets.UTF_8)).isEqualTo(Files.readAllBytes(plan));
        }
    }

    @Test
    void planWhoseUrlsComeWholeFromTheSecretPrints(@TempDir Path dir) throws IOException {
        Path plan = write(dir, "plan.yaml", AWKWARD_PLAN.replace("jdbc:postgresql://modern:5432/modern", "${TARGET_URL}"));
        List<JsonNode> docs = printed(migrate(plan, "--workers-total", "2", "--print-k8s-job"));
        assertThat(container(docs).path("env")).extracting(e -> e.path("name").asText())
                .containsExactly("NOT_SET", "PG_PORT", "SOURCE_PASSWORD", "TARGET_URL", "TARGET_PASSWORD", "JDK_JAVA_OPTIONS");
    }

    @Test
    void printingConnectsToNoDatabase(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // nothing listens here once closed
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/nowhere";
        Path plan = write(dir, "plan.yaml", AWKWARD_PLAN.replace("jdbc:postgresql://legacy:${PG_PORT:-5432}/legacy?ssl=true&x=a:b", url)
                .replace("jdbc:postgresql://modern:5432/modern", url)
                .replace("${SOURCE_PASSWORD}", "pw").replace("${TARGET_PASSWORD}", "pw"));

        Result printed = run(migrate(plan, "--workers-total", "4", "--print-k8s-job"));
        assertThat(printed.exit()).isZero();
        assertThat(printed.err()).isEmpty();
        assertThat(documents(printed.out())).hasSize(2);

        // the same command run as a worker does connect, and finds no server
        Result ran = run(migrate(plan, "--workers-total", "4", "--worker", "0"));
        assertThat(ran.exit()).isEqualTo(3);
        assertThat(ran.out()).isEmpty();
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(List.of("--print-k8s-job"), "--print-k8s-job needs --workers-total N"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "0"), "--workers-total must be at least 1, got 0"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "-2"), "--workers-total must be at least 1, got -2"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--worker", "1"),
                        "leave out --worker 1; each pod of the Job is one worker, --worker auto"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--dry-run"), "--workers-total cannot be combined with --only or --dry-run"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--only", "users=1"), "--workers-total cannot be combined with --only or --dry-run"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--shard-by", "modulo"), "--shard-by: 'modulo' is not hash or range"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--job-name", "Window_1"), "--job-name 'Window_1' is not a Kubernetes name"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--job-name", "-window"), "--job-name '-window' is not a Kubernetes name"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "11", "--job-name", "w".repeat(61)),
                        "is 61 characters; with 11 workers at most 60 (each pod's hostname, NAME-INDEX, must fit in 63)"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--namespace", "Prod"), "--namespace 'Prod' is not a Kubernetes namespace"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--job-parallelism", "5"),
                        "--job-parallelism must be between 1 and --workers-total 4, got 5"),
                Arguments.of(List.of("--print-k8s-job", "--workers-total", "4", "--image", "my image"), "--image 'my image' is not an image reference"),
                Arguments.of(List.of("--workers-total", "4", "--worker", "auto", "--image", "cutover:1"), "--image needs --print-k8s-job"),
                Arguments.of(List.of("--job-name", "w"), "--job-name needs --print-k8s-job"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInputIsAUsageErrorAndPrintsNothing(List<String> options, String message, @TempDir Path dir) throws IOException {
        Path plan = write(dir, "plan.yaml", AWKWARD_PLAN);
        Result r = run(migrate(plan, options.toArray(String[]::new)));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("cutover: ").contains(message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void windowAWorkerWouldRefuseIsRefusedBeforePrinting(@TempDir Path dir) throws IOException {
        Path plan = write(dir, "plan.yaml", AWKWARD_PLAN);
        Result next = run(List.of("sql", "migrate", "--plan", plan.toString(), "--next", "--until", "2024-02-01",
                "--workers-total", "4", "--print-k8s-job"));
        assertThat(next.exit()).isEqualTo(2);
        assertThat(next.err()).contains("--next cannot be used with --workers-total");
        assertThat(next.out()).isEmpty();
        Result noSince = run(List.of("sql", "migrate", "--plan", plan.toString(), "--until", "2024-02-01", "--workers-total", "4", "--print-k8s-job"));
        assertThat(noSince.exit()).isEqualTo(2);
        assertThat(noSince.err()).contains("give --since T");
        assertThat(noSince.out()).isEmpty();
    }

    @Test
    void missingOrBadPlanIsAUsageErrorAndPrintsNothing(@TempDir Path dir) throws IOException {
        Result missing = run(migrate(dir.resolve("no-such-plan.yaml"), "--workers-total", "4", "--print-k8s-job"));
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("cutover: ").contains("no-such-plan.yaml: cannot read the plan");
        assertThat(missing.out()).isEmpty();

        Path jvm = write(dir, "jvm.yaml", AWKWARD_PLAN.replace("${SOURCE_PASSWORD}", "${JDK_JAVA_OPTIONS}"));
        Result clash = run(migrate(jvm, "--workers-total", "4", "--print-k8s-job"));
        assertThat(clash.exit()).isEqualTo(2);
        assertThat(clash.err()).isEqualTo("cutover: the plan reads ${JDK_JAVA_OPTIONS}, which the Job sets itself for the JVM; "
                + "give the plan's variable another name" + System.lineSeparator());
        assertThat(clash.out()).isEmpty();

        Path bad = write(dir, "bad.yaml", AWKWARD_PLAN.replace("target_key: id", "target_kee: id"));
        Result r = run(migrate(bad, "--workers-total", "4", "--print-k8s-job"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("cutover: ").contains("bad.yaml:").contains("target_kee");
        assertThat(r.out()).isEmpty();
    }
}
