package io.cutover.redis.copy;

import java.util.ArrayList;
import java.util.List;

/** Running counters of a copy (or of one batch); not thread-safe, merged under a lock by the caller. */
final class Tally {
    /** How many existing keys and failures are listed by name. */
    static final int LISTED = 100;

    long copied;
    long copiedStruct;
    long unchanged;
    long filtered;
    long expired;
    long existing;
    long failed;
    long bytes;
    final List<String> existingKeys = new ArrayList<>();
    final List<KeyFailure> failures = new ArrayList<>();

    void existing(String key) {
        existing++;
        if (existingKeys.size() < LISTED) {
            existingKeys.add(key);
        }
    }

    void failed(KeyFailure f) {
        failed++;
        if (failures.size() < LISTED) {
            failures.add(f);
        }
    }

    void add(BatchResult r) {
        copied += r.copied();
        copiedStruct += r.copiedStruct();
        unchanged += r.unchanged();
        filtered += r.filtered();
        expired += r.expired();
        existing += r.existing();
        failed += r.failed();
        bytes += r.bytes();
        for (String k : r.existingKeys()) {
            if (existingKeys.size() < LISTED) {
                existingKeys.add(k);
            }
        }
        for (KeyFailure f : r.failures()) {
            if (failures.size() < LISTED) {
                failures.add(f);
            }
        }
    }

    BatchResult toResult() {
        return new BatchResult(copied, copiedStruct, unchanged, filtered, expired, existing, failed, bytes,
                List.copyOf(existingKeys), List.copyOf(failures));
    }
}
