package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.config.EnvSubstitution;
import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a Kubernetes Indexed Job of Cutover workers must hold, checked field by field (kubectl's client-side dry
 * run needs an API server to validate against, and Debian's kubectl predates these Job fields).
 */
record IndexedJobCheck(JsonNode job, List<JsonNode> others, List<String> command) {
    private static final Pattern PASSWORD_IN_URI = Pattern.compile("://[^/@:]*:[^/@]+@");

    /** The problems found, empty when the manifest is sound. */
    List<String> problems() {
        List<String> p = new ArrayList<>();
        expect(p, "apiVersion", job.path("apiVersion").asText(), "batch/v1");
        expect(p, "kind", job.path("kind").asText(), "Job");
        JsonNode spec = job.path("spec");
        expect(p, "spec.completionMode", spec.path("completionMode").asText(), "Indexed");
        int completions = spec.path("completions").asInt(0);
        if (completions < 1) {
            p.add("spec.completions must be a positive number");
        }
        if (spec.path("parallelism").asInt(-1) != completions) {
            p.add("spec.parallelism " + spec.path("parallelism") + " differs from completions " + completions);
        }
        if (spec.path("backoffLimitPerIndex").asInt(0) < 1) {
            p.add("spec.backoffLimitPerIndex must be at least 1, so a failed worker is retried alone");
        }
        JsonNode pod = spec.path("template").path("spec");
        expect(p, "restartPolicy", pod.path("restartPolicy").asText(), "Never");
        expect(p, "podFailurePolicy for exit " + ExitCode.USAGE.code(), failureAction(spec, ExitCode.USAGE), "FailJob");
        expect(p, "podFailurePolicy for exit " + ExitCode.DIFFERENCES.code(), failureAction(spec, ExitCode.DIFFERENCES), "FailIndex");
        if (pod.path("containers").size() != 1) {
            p.add("one container expected, found " + pod.path("containers").size());
            return p;
        }
        JsonNode container = pod.path("containers").get(0);
        List<String> args = args(container);
        if (args.size() < command.size() || !args.subList(0, command.size()).equals(command)) {
            p.add("args must start with " + String.join(" ", command) + ": " + args);
        }
        expect(p, "--workers-total", DeployFiles.optionValue(args, "--workers-total"), String.valueOf(completions));
        expect(p, "--worker", DeployFiles.optionValue(args, "--worker"), "auto");
        args.stream().filter(a -> PASSWORD_IN_URI.matcher(a).find()).forEach(a -> p.add("a password in the args: " + a));
        Set<String> env = environment(p, container);
        if (args.contains("--plan")) {
            String planText = planText(p, pod, container, DeployFiles.optionValue(args, "--plan"));
            if (planText != null) {
                checkPlan(p, env, planText);
            }
        }
        return p;
    }

    /** The container's args, as the image's entry point (the cutover command) receives them. */
    static List<String> args(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static String failureAction(JsonNode spec, ExitCode code) {
        for (JsonNode rule : spec.path("podFailurePolicy").path("rules")) {
            JsonNode exits = rule.path("onExitCodes");
            if ("In".equals(exits.path("operator").asText())) {
                for (JsonNode v : exits.path("values")) {
                    if (v.asInt() == code.code()) {
                        return rule.path("action").asText();
                    }
                }
            }
        }
        return null;
    }

    /** The plan file the args name, found through its volume mount in a ConfigMap of the same file. */
    private String planText(List<String> p, JsonNode pod, JsonNode container, String planPath) {
        if (planPath == null) {
            p.add("no --plan in the args");
            return null;
        }
        for (JsonNode mount : container.path("volumeMounts")) {
            String dir = mount.path("mountPath").asText();
            if (!planPath.startsWith(dir + "/")) {
                continue;
            }
            String key = planPath.substring(dir.length() + 1);
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText())) {
                    String configMap = volume.path("configMap").path("name").asText(null);
                    if (configMap == null) {
                        p.add("the plan's volume " + volume.path("name").asText() + " is not a ConfigMap");
                        return null;
                    }
                    for (JsonNode doc : others) {
                        if ("ConfigMap".equals(doc.path("kind").asText()) && configMap.equals(doc.path("metadata").path("name").asText())) {
                            JsonNode text = doc.path("data").path(key);
                            if (text.isTextual()) {
                                return text.asText();
                            }
                            p.add("ConfigMap " + configMap + " has no key " + key);
                            return null;
                        }
                    }
                    p.add("no ConfigMap " + configMap + " in the file");
                    return null;
                }
            }
        }
        p.add("--plan " + planPath + " is on no mounted volume");
        return null;
    }

    /** The names the container's env sets; a password must come from a Secret. */
    private static Set<String> environment(List<String> p, JsonNode container) {
        Set<String> env = new HashSet<>();
        for (JsonNode e : container.path("env")) {
            String name = e.path("name").asText();
            env.add(name);
            if (name.contains("PASSWORD") && e.path("valueFrom").path("secretKeyRef").path("key").asText("").isEmpty()) {
                p.add("env " + name + " must come from a Secret (valueFrom.secretKeyRef)");
            }
        }
        return env;
    }

    /** Every ${VAR} the plan needs is set, and the plan loads as a worker loads it. */
    private static void checkPlan(List<String> p, Set<String> env, String planText) {
        for (EnvSubstitution.Reference v : EnvSubstitution.references(planText)) {
            if (!v.hasDefault() && !env.contains(v.name())) {
                p.add("the plan needs ${" + v.name() + "}, which the container's env does not set");
            }
        }
        try {
            DeployFiles.loadPlan(planText, env);
        } catch (CutoverException e) {
            p.add("the plan does not load: " + e.getMessage());
        }
    }

    private static void expect(List<String> p, String what, String actual, String expected) {
        if (!expected.equals(actual)) {
            p.add(what + " is " + actual + ", expected " + expected);
        }
    }
}
