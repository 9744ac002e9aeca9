package io.cutover.sql.migrate;

import io.cutover.core.error.CutoverException;

import java.time.Duration;
import java.util.Map;

/**
 * This process's place among the workers sharing one window: worker {@code index} of {@code total}, how each step's
 * rows are split ({@code total} shards per step), and the lease a worker holds a unit under.
 *
 * @param lease how long a unit stays a dead worker's before another takes it; a live worker renews it every third of it
 */
public record Workers(int total, int index, Shard.ShardBy shardBy, Duration lease) {
    /** The variables the engines set: a Kubernetes Indexed Job, then an AWS Batch array job. */
    public static final String[] INDEX_VARIABLES = {"JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"};
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    public Workers {
        if (total < 1) {
            throw CutoverException.usage("--workers-total must be at least 1, not " + total);
        }
        if (index < 0 || index >= total) {
            throw CutoverException.usage("--worker " + index + " is not one of the " + total + " workers (0 to " + (total - 1) + ")");
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw CutoverException.usage("--lease must be at least 1s, not " + lease.toMillis() + "ms");
        }
    }

    /**
     * The worker index {@code worker} names: a number, or {@code auto} for the index the engine put in {@code env}.
     * A usage error when it is neither, or when auto finds no index.
     */
    public static int index(String worker, Map<String, String> env) {
        if (worker == null) {
            throw CutoverException.usage("--workers-total needs --worker I (0 to N-1) or --worker auto");
        }
        if (worker.equalsIgnoreCase("auto")) {
            for (String name : INDEX_VARIABLES) {
                String v = env.get(name);
                if (v != null && !v.isBlank()) {
                    return number(v.trim(), "--worker auto: " + name);
                }
            }
            throw CutoverException.usage("--worker auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor "
                    + "AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set; give --worker I");
        }
        return number(worker, "--worker");
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw CutoverException.usage(what + ": not a worker index: '" + text + "'");
        }
    }

    /** How often a waiting worker looks at the state tables again. */
    Duration poll() {
        Duration quarter = lease.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(500)) < 0 ? quarter : Duration.ofMillis(500);
    }
}
