package io.cutover.cli.deploy;

import io.cutover.cli.Cutover;
import io.cutover.core.error.CutoverException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code --print-k8s-job [--image IMAGE] [--job-name NAME] [--namespace NS] [--job-parallelism P]}: print the
 * Kubernetes Indexed Job whose pods run the command as typed, instead of running it.
 */
public final class KubernetesJobOptions {
    /** The options a worker gets from the Job rather than from the command typed. */
    private static final Set<String> SET_BY_THE_JOB = Set.of("--plan", "--worker");

    @CommandLine.Spec(CommandLine.Spec.Target.SELF)
    CommandSpec own;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--print-k8s-job", description = "Print (instead of running) a Kubernetes Indexed Job with a ConfigMap "
            + "of the plan, whose --workers-total pods run this command with --worker auto. Connects to nothing.")
    boolean print;

    @Option(names = "--image", paramLabel = "IMAGE", description = "With --print-k8s-job: the container image "
            + "(default cutover:VERSION, the tag Jib gives it).")
    String image;

    @Option(names = "--job-name", paramLabel = "NAME", description = "With --print-k8s-job: the Job's name (default "
            + "cutover-sql-window); its ConfigMap is NAME-plan, its Secret NAME-secret.")
    String jobName;

    @Option(names = "--namespace", paramLabel = "NS", description = "With --print-k8s-job: the namespace (default: kubectl's).")
    String namespace;

    @Option(names = "--job-parallelism", paramLabel = "P", description = "With --print-k8s-job: pods running at once "
            + "(default --workers-total).")
    Integer parallelism;

    /** Whether to print the Job; a usage error when one of its options is given without --print-k8s-job. */
    public boolean requested() {
        if (!print) {
            for (OptionSpec o : own.options()) {
                if (command.commandLine().getParseResult().hasMatchedOption(o)) {
                    throw CutoverException.usage(o.longestName() + " needs --print-k8s-job");
                }
            }
        }
        return print;
    }

    /**
     * The Job of {@code workersTotal} pods running the command as typed, except for these options, {@code --plan}
     * (the ConfigMap's copy of {@code planText}) and {@code --worker} (always auto: a number is refused). {@code
     * component} says what the workers do: the label, and the Job's default name cutover-COMPONENT.
     */
    public IndexedJob job(String component, Integer workersTotal, String planText) {
        if (workersTotal == null) {
            throw CutoverException.usage("--print-k8s-job needs --workers-total N: how many pods the Job runs");
        }
        CommandLine.ParseResult typed = command.commandLine().getParseResult();
        String worker = typed.matchedOptionValue("--worker", null);
        if (worker != null && !"auto".equals(worker)) {
            throw CutoverException.usage("--print-k8s-job: leave out --worker " + worker + "; each pod of the Job is one worker, "
                    + "--worker auto, its index from JOB_COMPLETION_INDEX");
        }
        List<String> options = new ArrayList<>();
        for (OptionSpec o : typed.matchedOptions()) {
            if (own.options().contains(o) || SET_BY_THE_JOB.contains(o.longestName())) {
                continue;
            }
            if (o.arity().max() == 0) {
                options.add(o.longestName());
            }
            for (String v : o.arity().max() == 0 ? List.<String>of() : typed.matchedOption(o.longestName()).originalStringValues()) {
                options.addAll(List.of(o.longestName(), v));
            }
            if ("--workers-total".equals(o.longestName())) {
                options.addAll(List.of("--worker", "auto"));
            }
        }
        List<String> names = new ArrayList<>(List.of(command.qualifiedName().split(" ")));
        names.remove(0); // the image's entry point is cutover
        return new IndexedJob(jobName == null ? "cutover-" + component : jobName, namespace,
                image == null ? "cutover:" + Cutover.Version.number() : image, workersTotal,
                parallelism == null ? workersTotal : parallelism, component, names, options, planText);
    }
}
