package io.cutover.sql.verify;

import io.cutover.core.workers.Worker;
import io.cutover.sql.migrate.Shard;

import java.util.List;

/**
 * The part of a verify one of several workers makes, so that N workers together make every check of a one-worker
 * verify exactly once. Each compares its hash shard of every step's source rows (migrate's hash split; shard 0 also
 * takes rows whose key is NULL): a row comparison pairs the source row with its log entry and target row by key, so
 * nothing about the target's own hash function matters. Worker 0 alone makes the whole-table checks, over the whole
 * tables: each is one query the target answers in one pass, and a hash filter would still have every worker's query
 * read the whole table (N times the target's work for nothing), while their results — a count and the first rows
 * of unknown target rows, a count per broken ref, the step's log entries against its source rows — are totals, not
 * per-row results a union could add up.
 */
public record VerifyPart(Worker worker) {
    /** A whole-table check of a step, as the report names it. */
    public enum WholeTableCheck {
        UNKNOWN_TARGET_ROWS("unknown target rows"),
        BROKEN_REFS("broken refs"),
        GONE_SOURCE_ROWS("log entries whose source rows are gone");

        private final String words;

        WholeTableCheck(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** The shard of each step's source rows this worker compares; null when it compares them all. */
    public Shard rows() {
        return worker.split() ? Shard.hash(worker.index(), worker.total()) : null;
    }

    /** "all", or "hash shard 3/4" (numbered from 1, as migrate's units are). */
    public String rowsCovered() {
        Shard s = rows();
        return s == null ? "all" : "hash shard " + s;
    }

    /**
     * The whole-table checks this worker makes: all of them on worker 0, none on the others. Log entries whose source
     * rows are gone are looked for only by a full verify (no window, --only or --sample), as by one worker.
     */
    public List<WholeTableCheck> wholeTableChecks(boolean full) {
        if (worker.index() != 0) {
            return List.of();
        }
        return full ? List.of(WholeTableCheck.values()) : List.of(WholeTableCheck.UNKNOWN_TARGET_ROWS, WholeTableCheck.BROKEN_REFS);
    }
}
