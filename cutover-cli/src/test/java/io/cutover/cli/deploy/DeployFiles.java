package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cutover.cli.Cutover;
import io.cutover.core.config.EnvSubstitution;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.PlanLoader;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The files under deploy/ as the tests read them: YAML documents, JSON, plans and command lines. */
final class DeployFiles {
    static final Path DIR = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {
    }

    /** Every document of a (multi-document) YAML file. */
    static List<JsonNode> yamlDocuments(String relative) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(DIR.resolve(relative).toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    static JsonNode json(String relative) throws IOException {
        return JSON.readTree(DIR.resolve(relative).toFile());
    }

    /** The value after {@code option} in {@code args}, or null when the option is not there. */
    static String optionValue(List<String> args, String option) {
        int i = args.indexOf(option);
        return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
    }

    /** Loads a plan the way a worker does, with only the environment variables in {@code env} set. */
    static Plan loadPlan(String text, Set<String> env) {
        return new PlanLoader(new EnvSubstitution(name -> env.contains(name) ? "set-by-the-engine" : null))
                .parse(text, "plan.yaml");
    }

    /** The real {@code cutover} command model, to parse command lines without running them. */
    static CommandLine commandLine() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return Cutover.commandLine(sink, sink);
    }
}
