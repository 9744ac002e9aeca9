package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.error.ExitCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an AWS Batch job definition and its array-job submission must hold for Cutover workers: the fields the
 * workers depend on, the command with its {@code Ref::} parameters filled in as Batch fills them, the secrets.
 *
 * @param planEnv the environment variables the plan baked into the image needs
 */
record BatchJobCheck(JsonNode definition, JsonNode submission, Set<String> planEnv) {
    List<String> problems() {
        List<String> p = new ArrayList<>();
        expect(p, "type", definition.path("type").asText(), "container");
        expect(p, "submission's jobDefinition", submission.path("jobDefinition").asText(), definition.path("jobDefinitionName").asText());
        int size = submission.path("arrayProperties").path("size").asInt(0);
        if (size < 2) {
            p.add("arrayProperties.size must be 2 or more for an array job, is " + size);
        }
        List<String> command = command();
        if (command.size() < 2 || !command.subList(0, 2).equals(List.of("sql", "migrate"))) {
            p.add("command must start with sql migrate: " + command);
        }
        command.stream().filter(a -> a.startsWith("Ref::")).forEach(a -> p.add("no parameter gives " + a));
        expect(p, "--workers-total", DeployFiles.optionValue(command, "--workers-total"), String.valueOf(size));
        expect(p, "--worker", DeployFiles.optionValue(command, "--worker"), "auto");
        JsonNode container = definition.path("containerProperties");
        Set<String> secrets = new TreeSet<>();
        for (JsonNode s : container.path("secrets")) {
            secrets.add(s.path("name").asText());
            if (!s.path("valueFrom").asText().startsWith("arn:aws:secretsmanager:")) {
                p.add("secret " + s.path("name").asText() + " must come from Secrets Manager");
            }
        }
        for (JsonNode e : container.path("environment")) {
            if (e.path("name").asText().contains("PASSWORD")) {
                p.add("environment " + e.path("name").asText() + " is a password written into the job definition; use secrets");
            }
        }
        if (!secrets.equals(new TreeSet<>(planEnv))) {
            p.add("secrets " + secrets + " differ from what the plan needs " + new TreeSet<>(planEnv));
        }
        if (definition.path("retryStrategy").path("attempts").asInt(1) < 2) {
            p.add("retryStrategy.attempts must be 2 or more, so a worker that lost its connection is retried");
        }
        for (ExitCode final_ : List.of(ExitCode.DIFFERENCES, ExitCode.USAGE)) {
            if (!exits(final_)) {
                p.add("retryStrategy must EXIT on exit code " + final_.code() + " (" + final_ + "): a retry would do the same");
            }
        }
        return p;
    }

    /** The command each child job runs: the definition's, with Ref::name replaced as Batch does. */
    List<String> command() {
        Map<String, String> parameters = new HashMap<>();
        definition.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        submission.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        List<String> command = new ArrayList<>();
        for (JsonNode a : definition.path("containerProperties").path("command")) {
            String arg = a.asText();
            command.add(arg.startsWith("Ref::") ? parameters.getOrDefault(arg.substring(5), arg) : arg);
        }
        return command;
    }

    private boolean exits(ExitCode code) {
        for (JsonNode rule : definition.path("retryStrategy").path("evaluateOnExit")) {
            if (rule.path("onExitCode").asText().equals(String.valueOf(code.code()))) {
                return "EXIT".equalsIgnoreCase(rule.path("action").asText());
            }
        }
        return false;
    }

    private static void expect(List<String> p, String what, String actual, String expected) {
        if (!expected.equals(actual)) {
            p.add(what + " is " + actual + ", expected " + expected);
        }
    }
}
