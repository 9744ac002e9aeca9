package io.cutover.redis.copy;

import java.util.List;

/**
 * What happened to one batch of keys.
 *
 * @param copied       keys written to the target
 * @param copiedStruct of those, keys written type-natively (the rest by DUMP/RESTORE)
 * @param unchanged    keys already on the target with the same value (a rerun or a resumed run): left alone
 * @param filtered     keys left out by --include/--exclude
 * @param expired      keys that expired or vanished on the source before they could be read
 * @param existing     keys that already exist on the target with another value (without --replace): not touched
 * @param failed       keys that could not be copied
 * @param bytes        DUMP payload bytes moved (0 for type-native copies)
 * @param existingKeys names of the existing keys
 * @param failures     the failed keys with reasons
 */
public record BatchResult(long copied, long copiedStruct, long unchanged, long filtered, long expired, long existing,
                          long failed, long bytes, List<String> existingKeys, List<KeyFailure> failures) {

    /** Keys this batch dealt with (copied or skipped or failed). */
    public long keys() {
        return copied + unchanged + filtered + expired + existing + failed;
    }
}
