package io.cutover.sql.migrate;

import io.cutover.core.error.CutoverException;
import io.cutover.core.workers.Worker;

import java.time.Duration;

/**
 * This process's place among the workers sharing one window ({@code worker}: index {@code i} of {@code n}, as core's
 * {@link Worker} resolves it for every part), how each step's rows are split ({@code n} shards per step), and the
 * lease a worker holds a unit under.
 *
 * @param lease how long a unit stays a dead worker's before another takes it; a live worker renews it every third of it
 */
public record Workers(Worker worker, Shard.ShardBy shardBy, Duration lease) {

    public Workers {
        java.util.Objects.requireNonNull(worker, "worker");
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw CutoverException.usage("--lease must be at least 1s, not " + lease.toMillis() + "ms");
        }
    }

    /** Worker {@code index} of {@code total}, numbered from 0. */
    public Workers(int total, int index, Shard.ShardBy shardBy, Duration lease) {
        this(new Worker(index, total, null), shardBy, lease);
    }

    public int total() {
        return worker.total();
    }

    public int index() {
        return worker.index();
    }

    /** How often a waiting worker looks at the state tables again. */
    Duration poll() {
        Duration quarter = lease.dividedBy(4);
        return quarter.compareTo(Duration.ofMillis(500)) < 0 ? quarter : Duration.ofMillis(500);
    }
}
