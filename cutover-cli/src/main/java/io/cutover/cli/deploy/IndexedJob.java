package io.cutover.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.cutover.core.config.EnvSubstitution;
import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import org.yaml.snakeyaml.DumperOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Kubernetes Indexed Job of identical Cutover workers, printed as a ConfigMap holding the plan and the Job: each
 * pod runs {@code command} with {@code options}, {@code --worker auto} among them (its index from {@code
 * JOB_COMPLETION_INDEX}), the plan's {@code ${VAR}}s from a Secret, and Cutover's exit codes mapped to what
 * Kubernetes should do about them.
 * deploy/kubernetes/sql-window-job.yaml is this class's output (a test keeps it so).
 *
 * @param name        the Job; its ConfigMap and Secret are named after it
 * @param namespace   where it runs, or null for kubectl's current namespace
 * @param image       the container image, whose entry point is {@code cutover}
 * @param completions how many workers ({@code --workers-total}): one index each
 * @param parallelism how many run at once
 * @param component   what the workers do, e.g. sql-window (a label)
 * @param command     the command's names, e.g. sql migrate
 * @param options     the worker's options after {@code --plan PLAN_PATH}, {@code --worker auto} among them
 * @param planText    the plan file, as the ConfigMap holds it
 */
public record IndexedJob(String name, String namespace, String image, int completions, int parallelism, String component,
                         List<String> command, List<String> options, String planText) {
    /** Where the pods find the plan: the ConfigMap's one key, mounted read-only. */
    public static final String PLAN_DIR = "/plan";
    public static final String PLAN_KEY = "plan.yaml";
    public static final String PLAN_PATH = PLAN_DIR + "/" + PLAN_KEY;

    /** A DNS label (RFC 1123), what Kubernetes requires of a namespace and of a pod's hostname. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_LABEL = 63;
    private static final String CONTAINER = "cutover";
    /** The image's user (deploy/README.md): not root. */
    private static final int USER = 65532;
    /** What ./cutover sets for sql commands: C1 only and the serial collector, cheaper on a core or two. */
    private static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    private static final String JVM_OPTIONS_VARIABLE = "JDK_JAVA_OPTIONS";
    /** A worker that failed for a reason worth retrying (exit 3) is started again this often, alone. */
    private static final int RETRIES_PER_WORKER = 2;

    private static final YAMLMapper BLOCK = mapper(true, true);
    private static final YAMLMapper QUOTED = mapper(false, true);
    private static final YAMLMapper ESCAPED = mapper(false, false);

    public IndexedJob {
        if (completions < 1) {
            throw CutoverException.usage("--workers-total must be at least 1, got " + completions);
        }
        if (parallelism < 1 || parallelism > completions) {
            throw CutoverException.usage("--job-parallelism must be between 1 and --workers-total " + completions + ", got " + parallelism);
        }
        if (!DNS_LABEL.matcher(name).matches()) {
            throw CutoverException.usage("--job-name '" + name + "' is not a Kubernetes name: lower-case letters, digits "
                    + "and '-', starting and ending with a letter or digit");
        }
        // Each pod's hostname is NAME-INDEX, a DNS label too.
        int longest = MAX_LABEL - 1 - String.valueOf(completions - 1).length();
        if (name.length() > longest) {
            throw CutoverException.usage("--job-name '" + name + "' is " + name.length() + " characters; with " + completions
                    + " workers at most " + longest + " (each pod's hostname, NAME-INDEX, must fit in " + MAX_LABEL + ")");
        }
        if (namespace != null && (namespace.length() > MAX_LABEL || !DNS_LABEL.matcher(namespace).matches())) {
            throw CutoverException.usage("--namespace '" + namespace + "' is not a Kubernetes namespace: at most " + MAX_LABEL
                    + " lower-case letters, digits and '-', starting and ending with a letter or digit");
        }
        if (image.isBlank() || image.chars().anyMatch(c -> c <= ' ')) {
            throw CutoverException.usage("--image '" + image + "' is not an image reference");
        }
        if (EnvSubstitution.references(planText).stream().anyMatch(v -> v.name().equals(JVM_OPTIONS_VARIABLE))) {
            throw CutoverException.usage("the plan reads ${" + JVM_OPTIONS_VARIABLE + "}, which the Job sets itself for the JVM; "
                    + "give the plan's variable another name");
        }
        command = List.copyOf(command);
        options = List.copyOf(options);
    }

    public String configMapName() {
        return name + "-plan";
    }

    /** The Secret holding the plan's variables, one key per variable, named as the variable. */
    public String secretName() {
        return name + "-secret";
    }

    /** The ConfigMap and the Job as multi-document YAML, after comments saying how to create the Secret first. */
    public String yaml() {
        return header() + exact(configMap(), BLOCK) + exact(job(), QUOTED);
    }

    /**
     * {@code doc} in YAML that reads back as {@code doc}: the plan (and every argument) must arrive as written.
     * {@code readable} is tried first (a literal block keeps the plan readable); where it does not read back the
     * same (trailing spaces, tabs, CRLF or NEL line ends), every string is double-quoted, line breaks and
     * control characters escaped.
     */
    private static String exact(JsonNode doc, YAMLMapper readable) {
        for (YAMLMapper mapper : List.of(readable, ESCAPED)) {
            String yaml = write(mapper, doc);
            if (doc.equals(readBack(yaml))) {
                return yaml;
            }
        }
        throw CutoverException.runtime("the manifest does not read back from YAML as written; please report this");
    }

    private String header() {
        String typed = "cutover " + String.join(" ", command);
        List<EnvSubstitution.Reference> vars = EnvSubstitution.references(planText);
        List<String> h = new ArrayList<>();
        h.add("`" + typed + "` on " + completions + " workers: a Kubernetes Indexed Job (Kubernetes 1.29 or later) and a");
        h.add("ConfigMap of the plan, printed by `" + typed + " … --print-k8s-job` (deploy/README.md).");
        if (!vars.isEmpty()) {
            List<String> optional = vars.stream().filter(EnvSubstitution.Reference::hasDefault).map(EnvSubstitution.Reference::name).toList();
            h.add("First, the plan's variables into a Secret" + (optional.isEmpty() ? ":" : " (" + String.join(", ", optional)
                    + (optional.size() == 1 ? " has" : " have") + " a default in the plan and may be left out):"));
            List<String> create = new ArrayList<>(List.of("kubectl", "create", "secret", "generic", secretName()));
            if (namespace != null) {
                create.addAll(List.of("--namespace", namespace));
            }
            vars.stream().filter(v -> !v.hasDefault()).forEach(v -> create.add("--from-literal=" + v.name() + "='…'"));
            h.add("  " + String.join(" ", create));
        }
        h.add("Then: kubectl apply -f FILE (this output).");
        h.add("Each pod is one worker, --worker auto reading its index from JOB_COMPLETION_INDEX. Exit " + ExitCode.RUNTIME.code()
                + " (connection lost)");
        h.add("starts that worker again, " + RETRIES_PER_WORKER + " times at most; exit " + ExitCode.DIFFERENCES.code()
                + " (rows recorded as errors: cutover sql errors) fails its index;");
        h.add("exit " + ExitCode.USAGE.code() + " (a bad plan or option, the same for every worker) fails the Job; a pod "
                + "evicted by a node drain is not counted.");
        return h.stream().map(line -> "# " + line + "\n").collect(Collectors.joining());
    }

    private ObjectNode configMap() {
        ObjectNode cm = object();
        cm.put("apiVersion", "v1");
        cm.put("kind", "ConfigMap");
        metadata(cm, configMapName(), false);
        cm.putObject("data").put(PLAN_KEY, planText);
        return cm;
    }

    private ObjectNode job() {
        ObjectNode job = object();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        metadata(job, name, true);
        ObjectNode spec = job.putObject("spec");
        spec.put("completionMode", "Indexed");
        spec.put("completions", completions);
        spec.put("parallelism", parallelism);
        spec.put("backoffLimitPerIndex", RETRIES_PER_WORKER);
        ArrayNode rules = spec.putObject("podFailurePolicy").putArray("rules");
        exitRule(rules, "FailJob", ExitCode.USAGE);
        exitRule(rules, "FailIndex", ExitCode.DIFFERENCES);
        ObjectNode drained = rules.addObject().put("action", "Ignore");
        drained.putArray("onPodConditions").addObject().put("type", "DisruptionTarget").put("status", "True");

        ObjectNode template = spec.putObject("template");
        template.set("metadata", object().set("labels", labels(true)));
        ObjectNode pod = template.putObject("spec");
        pod.put("restartPolicy", "Never");
        pod.putObject("securityContext").put("runAsNonRoot", true).put("runAsUser", USER).put("runAsGroup", USER);
        ObjectNode container = pod.putArray("containers").addObject();
        container.put("name", CONTAINER);
        container.put("image", image);
        ArrayNode args = container.putArray("args");
        workerArgs().forEach(args::add);
        ArrayNode env = container.putArray("env");
        for (EnvSubstitution.Reference v : EnvSubstitution.references(planText)) {
            ObjectNode ref = env.addObject().put("name", v.name())
                    .putObject("valueFrom").putObject("secretKeyRef").put("name", secretName()).put("key", v.name());
            if (v.hasDefault()) {
                ref.put("optional", true);
            }
        }
        env.addObject().put("name", JVM_OPTIONS_VARIABLE).put("value", JVM_OPTIONS);
        ObjectNode resources = container.putObject("resources");
        resources.putObject("requests").put("cpu", "1").put("memory", "1Gi");
        resources.putObject("limits").put("memory", "1Gi");
        container.putArray("volumeMounts").addObject().put("name", "plan").put("mountPath", PLAN_DIR).put("readOnly", true);
        pod.putArray("volumes").addObject().put("name", "plan").putObject("configMap").put("name", configMapName());
        return job;
    }

    /** The container's args, the image's entry point being {@code cutover}. */
    public List<String> workerArgs() {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--plan", PLAN_PATH));
        args.addAll(options);
        return args;
    }

    private static void exitRule(ArrayNode rules, String action, ExitCode code) {
        ObjectNode on = rules.addObject().put("action", action).putObject("onExitCodes");
        on.put("containerName", CONTAINER).put("operator", "In").putArray("values").add(code.code());
    }

    private void metadata(ObjectNode doc, String objectName, boolean job) {
        ObjectNode m = doc.putObject("metadata");
        m.put("name", objectName);
        if (namespace != null) {
            m.put("namespace", namespace);
        }
        m.set("labels", labels(job));
    }

    private ObjectNode labels(boolean job) {
        ObjectNode l = object().put("app.kubernetes.io/name", "cutover");
        if (job) {
            l.put("app.kubernetes.io/component", component);
        }
        return l;
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static String write(YAMLMapper mapper, JsonNode doc) {
        try {
            return mapper.writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readBack(String yaml) {
        try {
            return BLOCK.readTree(yaml);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Strings stay plain only when they read back as the same string in any YAML parser (kubectl's included): a word
     * or an option name, no number, date, boolean or null look-alike. Everything else is double-quoted, and a
     * multi-line string becomes a literal block where {@code literalBlocks}; where not {@code unicode}, the
     * writer escapes what it would otherwise write raw (NEL and the Unicode line separators among them).
     */
    private static YAMLMapper mapper(boolean literalBlocks, boolean unicode) {
        YAMLFactoryBuilder f = YAMLFactory.builder().stringQuotingChecker(new PlainWords());
        if (!unicode) {
            DumperOptions ascii = new DumperOptions();
            ascii.setAllowUnicode(false);
            ascii.setExplicitStart(true);
            f.dumperOptions(ascii);
        }
        YAMLMapper.Builder b = YAMLMapper.builder(f.build()).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR);
        if (literalBlocks) {
            b.enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE);
        } else {
            b.disable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE);
        }
        return b.build();
    }

    private static final class PlainWords extends StringQuotingChecker.Default {
        private static final Pattern WORD = Pattern.compile("(--)?[A-Za-z/][A-Za-z0-9._/-]*");
        private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

        @Override
        public boolean needToQuoteValue(String value) {
            return !WORD.matcher(value).matches() || RESERVED.contains(value.toLowerCase(Locale.ROOT)) || super.needToQuoteValue(value);
        }
    }
}
