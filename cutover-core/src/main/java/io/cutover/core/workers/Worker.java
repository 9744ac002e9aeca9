package io.cutover.core.workers;

import io.cutover.core.error.CutoverException;

import java.util.List;
import java.util.Map;

/**
 * Which of several identical processes this one is: worker {@code index} of {@code total}, numbered from 0. The
 * engines that launch such processes say it in an environment variable, so {@code --worker auto} reads the first
 * of {@link #INDEX_VARIABLES} that is set.
 *
 * @param index    this worker, from 0
 * @param total    how many workers share the job
 * @param variable the environment variable the index came from, or null when given as a number
 */
public record Worker(int index, int total, String variable) {

    /** Kubernetes Indexed Job, then AWS Batch array job. */
    public static final List<String> INDEX_VARIABLES = List.of("JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX");

    public Worker {
        if (total < 1) {
            throw CutoverException.usage("--workers-total must be at least 1, got " + total);
        }
        if (index < 0 || index >= total) {
            throw CutoverException.usage("--worker " + index + (variable == null ? "" : " (from " + variable + ")")
                    + " is not below --workers-total " + total + " (workers are numbered from 0)");
        }
    }

    /** The one worker of a job nobody splits. */
    public static Worker only() {
        return new Worker(0, 1, null);
    }

    /**
     * Resolves {@code --worker} (a number from 0, or {@code auto}) and {@code --workers-total}; both absent means
     * {@link #only()}, one without the other is a usage error. {@code env} is the process environment (a parameter
     * so tests can give their own).
     */
    public static Worker resolve(String worker, Integer total, Map<String, String> env) {
        if (worker == null && total == null) {
            return only();
        }
        if (total == null) {
            throw CutoverException.usage("--worker needs --workers-total N (how many workers share the job)");
        }
        if (worker == null) {
            throw CutoverException.usage("--workers-total needs --worker I (from 0) or --worker auto");
        }
        if (total < 1) {
            throw CutoverException.usage("--workers-total must be at least 1, got " + total);
        }
        if (!"auto".equals(worker)) {
            return new Worker(parse(worker, "--worker"), total, null);
        }
        for (String v : INDEX_VARIABLES) {
            String value = env.get(v);
            if (value != null && !value.isBlank()) {
                return new Worker(parse(value.trim(), v), total, v);
            }
        }
        throw CutoverException.usage("--worker auto: neither " + INDEX_VARIABLES.get(0) + " (Kubernetes Indexed Job) nor "
                + INDEX_VARIABLES.get(1) + " (AWS Batch array job) is set; give --worker I");
    }

    private static int parse(String text, String what) {
        try {
            int i = Integer.parseInt(text);
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CutoverException.usage(what + ": expected a worker number from 0" + ("--worker".equals(what) ? " or auto" : "")
                + ", got '" + text + "'");
    }

    /** Whether the job is split at all. */
    public boolean split() {
        return total > 1;
    }

    /** "worker 2 of 5" (numbered from 0), with where the index came from. */
    @Override
    public String toString() {
        return "worker " + index + " of " + total + (variable == null ? "" : " (" + variable + ")");
    }
}
