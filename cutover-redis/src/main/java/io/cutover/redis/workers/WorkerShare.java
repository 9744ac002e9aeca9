package io.cutover.redis.workers;

import io.cutover.core.workers.Worker;
import io.cutover.redis.select.SlotRanges;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What one worker of a split copy or verify covers: the hash slots whose keys are its, and per source server it
 * reads, which of them.
 *
 * @param worker  which worker
 * @param split   names the whole division (every worker's slots): the workers of one split show the same, so their
 *                shares cover every slot once; workers that read different slot maps show different ones
 * @param cluster whether the source is a Redis Cluster (its servers are primaries) or one server
 * @param slots   every slot of this worker's share
 * @param parts   per source server it scans: the slots of it that are this worker's, in slot order
 */
public record WorkerShare(Worker worker, String split, boolean cluster, SlotRanges slots, List<Part> parts) {

    public WorkerShare {
        parts = List.copyOf(parts);
    }

    /**
     * One source server in a share.
     *
     * @param server the primary's (or the standalone server's) address
     * @param slots  the slots of it this worker covers
     * @param whole  true when they are every slot it serves (the worker reads it alone)
     */
    public record Part(String server, SlotRanges slots, boolean whole) {
    }

    /** The same share for {@code w} (the same index and total, with where the index came from). */
    public WorkerShare with(Worker w) {
        if (w.index() != worker.index() || w.total() != worker.total()) {
            throw new IllegalArgumentException(w + " is not " + worker);
        }
        return new WorkerShare(w, split, cluster, slots, parts);
    }

    /** True when the share is whole primaries (or the whole server), none split by slot. */
    public boolean wholeServers() {
        return parts.stream().allMatch(Part::whole);
    }

    /**
     * What the worker covers, in words: "primaries 10.0.0.5:7001 (slots 0-5460), 10.0.0.6:7001 (slots 5461-10922)",
     * "slots 0-2730 of primary 10.0.0.5:7001", "slots 0-8191 of server 10.0.0.9:6379", "nothing (no slot)".
     */
    public String covers() {
        if (parts.isEmpty()) {
            return "nothing (no slot)";
        }
        String what = cluster ? "primary" : "server";
        if (wholeServers()) {
            String plural = cluster ? "primaries " : "servers ";
            return (parts.size() > 1 ? plural : what + " ") + parts.stream()
                    .map(p -> p.server() + " (slots " + p.slots() + ")").collect(Collectors.joining(", "));
        }
        return parts.stream().map(p -> "slots " + p.slots() + " of " + what + " " + p.server())
                .collect(Collectors.joining(", "));
    }

    /** "worker 1 of 5 (JOB_COMPLETION_INDEX), split 6c1a0f3e: slots 3277-5460 of primary 10.0.0.5:7001". */
    @Override
    public String toString() {
        return worker + ", split " + split + ": " + covers();
    }
}
