package io.cutover.sql.state;

import java.time.LocalDateTime;

/**
 * One piece of a run shared by several workers, as kept in the target: a step's deletions, one shard of its window
 * rows, the retry of its outstanding rows or the filling of its deferred refs; who holds it and until when, and what
 * it did once done.
 *
 * @param keyFrom    a range shard's first key (null: open below, or a hash shard)
 * @param keyTo      a range shard's end, exclusive (null: open above, or a hash shard)
 * @param leaseUntil when the holder's lease ends (epoch milliseconds); another worker may take it after that
 * @param fresh      whether the step's log was empty when the run was made (the first attempt need look nothing up)
 */
public record WorkUnit(long runId, String step, Kind kind, int shard, int shards, Long keyFrom, Long keyTo, Status status,
                       String worker, LocalDateTime claimedAt, long leaseUntil, int attempts, boolean fresh, long read,
                       long inserted, long updated, long deleted, long errors, long durationMs) {
    /** What a unit does, in the order a step's units run. */
    public enum Kind { DELETE, ROWS, RETRY, FILL }

    public enum Status { WAITING, RUNNING, DONE }

    /** A new unit, waiting. */
    public static WorkUnit waiting(long runId, String step, Kind kind, int shard, int shards, Long keyFrom, Long keyTo,
                                   boolean fresh) {
        return new WorkUnit(runId, step, kind, shard, shards, keyFrom, keyTo, Status.WAITING, null, null, 0, 0, fresh,
                0, 0, 0, 0, 0, 0);
    }

    /** Whether a worker may take it at {@code now}: waiting, or held by a worker whose lease ran out. */
    public boolean claimable(long now) {
        return status == Status.WAITING || (status == Status.RUNNING && leaseUntil < now);
    }

    /** e.g. {@code orders rows 2/4}. */
    public String label() {
        return step + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + (kind == Kind.ROWS ? " " + (shard + 1) + "/" + shards : "");
    }
}
