package io.cutover.sql.verify;

import io.cutover.core.error.CutoverException;
import io.cutover.core.workers.Worker;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What verify checks: rows changed in {@code [since, until)} (both null: every row), a subset like migrate's
 * {@code --only}, {@code sample} rows per step (0: every row), and which {@code worker} of several sharing the
 * verify this is ({@link Worker#only()}: the whole of it; see {@link VerifyPart}).
 */
public record VerifyRequest(LocalDateTime since, LocalDateTime until, Map<String, Set<String>> only, int sample, Worker worker) {
    public VerifyRequest {
        only = only == null ? Map.of() : Map.copyOf(only);
        Objects.requireNonNull(worker, "worker");
        checkSample(sample, worker);
    }

    /** A usage error when a sample is asked of a verify split among workers (callers may check before connecting). */
    public static void checkSample(int sample, Worker worker) {
        if (sample > 0 && worker.split()) {
            // each worker would sample its own shard, so N workers would compare other rows than one worker does
            throw CutoverException.usage("--sample cannot be split among workers: a sample of each shard is not the sample "
                    + "one worker takes; run a sampled verify as one worker (without --workers-total)");
        }
    }

    /** One worker's verify. */
    public VerifyRequest(LocalDateTime since, LocalDateTime until, Map<String, Set<String>> only, int sample) {
        this(since, until, only, sample, Worker.only());
    }

    public static VerifyRequest all() {
        return new VerifyRequest(null, null, Map.of(), 0);
    }

    /** The part of the verify this worker makes. */
    public VerifyPart part() {
        return new VerifyPart(worker);
    }
}
