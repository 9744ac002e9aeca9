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
}
