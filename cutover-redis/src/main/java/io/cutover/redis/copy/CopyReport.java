package io.cutover.redis.copy;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a copy. On a resumed run the counters include the earlier attempts recorded in the checkpoint.
 *
 * @param source          source address (no password)
 * @param target          target address (no password)
 * @param mode            how values travelled: "dump", "struct" or "dump+struct"
 * @param dryRun          nothing was written; the counters say what a real run would do
 * @param resumed         this run continued from a checkpoint
 * @param copied          keys written to the target
 * @param copiedStruct    of those, keys copied type-natively
 * @param skippedUnchanged keys already on the target with the same value (rerun/resume), left alone
 * @param skippedFiltered keys left out by --include/--exclude
 * @param skippedExpired  keys that expired or vanished on the source during the copy
 * @param skippedExisting keys already on the target with another value, not touched (without --replace)
 * @param failed          keys that could not be copied
 * @param bytes           DUMP payload bytes moved
 * @param existingKeys    the first existing keys by name
 * @param failures        the first failed keys with reasons
 * @param elapsed         wall-clock time of this run
 * @param keysPerSecond   keys copied per second in this run
 */
public record CopyReport(String source, String target, String mode, boolean dryRun, boolean resumed, long copied,
                         long copiedStruct, long skippedUnchanged, long skippedFiltered, long skippedExpired,
                         long skippedExisting, long failed, long bytes, List<String> existingKeys,
                         List<KeyFailure> failures, Duration elapsed, double keysPerSecond) {

    /** True when nothing failed and no existing key was left different: exit 0 for the CLI. */
    public boolean clean() {
        return failed == 0 && skippedExisting == 0;
    }

    /** One report for the parts of a copy done one after another (the primaries of a cluster source). */
    public static CopyReport combine(String source, String target, List<CopyReport> parts, Duration elapsed) {
        long copied = 0, struct = 0, unchanged = 0, filtered = 0, expired = 0, existing = 0, failed = 0, bytes = 0;
        java.util.List<String> existingKeys = new java.util.ArrayList<>();
        java.util.List<KeyFailure> failures = new java.util.ArrayList<>();
        java.util.Set<String> modes = new java.util.TreeSet<>();
        boolean resumed = false;
        double copiedThisRun = 0;
        for (CopyReport r : parts) {
            copied += r.copied;
            struct += r.copiedStruct;
            unchanged += r.skippedUnchanged;
            filtered += r.skippedFiltered;
            expired += r.skippedExpired;
            existing += r.skippedExisting;
            failed += r.failed;
            bytes += r.bytes;
            r.existingKeys.stream().limit(Tally.LISTED - existingKeys.size()).forEach(existingKeys::add);
            r.failures.stream().limit(Tally.LISTED - failures.size()).forEach(failures::add);
            modes.add(r.mode);
            resumed |= r.resumed;
            copiedThisRun += r.keysPerSecond * Math.max(1e-3, r.elapsed.toNanos() / 1e9);
        }
        String mode = modes.size() == 1 ? modes.iterator().next() : modes.contains("dump") || modes.contains("dump+struct")
                ? "dump+struct" : "struct";
        boolean dryRun = !parts.isEmpty() && parts.get(0).dryRun;
        double seconds = Math.max(1e-3, elapsed.toNanos() / 1e9);
        return new CopyReport(source, target, mode, dryRun, resumed, copied, struct, unchanged, filtered, expired,
                existing, failed, bytes, List.copyOf(existingKeys), List.copyOf(failures), elapsed, copiedThisRun / seconds);
    }
}
