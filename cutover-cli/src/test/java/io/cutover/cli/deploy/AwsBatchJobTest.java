package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/aws-batch/: the job definition and the array-job submission of one window's workers. */
class AwsBatchJobTest {
    /** The variables the Kubernetes Job's plan needs: the same plan runs on both engines. */
    private static final Set<String> PLAN_ENV = Set.of("SOURCE_PASSWORD", "TARGET_PASSWORD");

    private static BatchJobCheck check() throws IOException {
        return new BatchJobCheck(DeployFiles.json("aws-batch/job-definition.json"), DeployFiles.json("aws-batch/submit-job.json"), PLAN_ENV);
    }

    @Test
    void shippedFilesHoldEveryFieldTheWorkersNeed() throws IOException {
        BatchJobCheck check = check();
        assertThat(check.problems()).isEmpty();
        assertThat(check.command()).containsSubsequence("--since", "2024-01-01", "--until", "2024-02-01", "--workers-total", "4");
    }

    @Test
    void theSamePlanVariablesAsTheKubernetesJob() throws IOException {
        JsonNode job = DeployFiles.yamlDocuments("kubernetes/sql-window-job.yaml").get(1);
        Set<String> k8sSecrets = new java.util.TreeSet<>();
        job.path("spec").path("template").path("spec").path("containers").get(0).path("env").forEach(e -> {
            if (e.path("valueFrom").has("secretKeyRef")) {
                k8sSecrets.add(e.path("name").asText());
            }
        });
        assertThat(k8sSecrets).isEqualTo(PLAN_ENV);
    }

    @Test
    void arraySizeDifferentFromWorkersTotalIsReported() throws IOException {
        BatchJobCheck c = check();
        ((ObjectNode) c.submission().path("arrayProperties")).put("size", 8);
        assertThat(c.problems()).containsExactly("--workers-total is 4, expected 8");
    }

    @Test
    void passwordInThePlainEnvironmentIsReported() throws IOException {
        BatchJobCheck c = check();
        ((ObjectNode) c.definition().path("containerProperties")).withArray("environment")
                .addObject().put("name", "TARGET_PASSWORD").put("value", "hunter2");
        assertThat(c.problems()).containsExactly("environment TARGET_PASSWORD is a password written into the job definition; use secrets");
    }

    @Test
    void parameterNobodyGivesIsReported() throws IOException {
        BatchJobCheck c = check();
        ((ObjectNode) c.definition().path("parameters")).remove("until");
        ((ObjectNode) c.submission().path("parameters")).remove("until");
        assertThat(c.problems()).containsExactly("no parameter gives Ref::until");
    }

    @Test
    void retryingAWorkerThatFoundRowErrorsIsReported() throws IOException {
        BatchJobCheck c = check();
        ((ObjectNode) c.definition().path("retryStrategy")).withArray("evaluateOnExit").remove(0);
        assertThat(c.problems()).containsExactly("retryStrategy must EXIT on exit code 1 (DIFFERENCES): a retry would do the same");
    }

    @Test
    void commandParsesWithTheRealCommand() throws IOException {
        CommandLine.ParseResult migrate = WorkerArgs.parse(check().command());
        assertThat(migrate.commandSpec().qualifiedName()).isEqualTo("cutover sql migrate");
        assertThat(migrate.matchedOption("--plan").originalStringValues()).containsExactly("/plan/plan.yaml");
        assertThat(migrate.matchedOption("--since").originalStringValues()).containsExactly("2024-01-01");
        WorkerArgs.assertWorkerOptions(migrate, 4);
    }
}
