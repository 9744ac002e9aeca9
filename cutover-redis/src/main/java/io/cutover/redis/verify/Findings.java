package io.cutover.redis.verify;

import io.cutover.redis.select.KeyNames;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a verify found: counters and differences. Each batch fills its own, which the run then adds to its total, so
 * batches compared on several connections at once never share one.
 */
final class Findings {
    private final EnumMap<DiffKind, Long> counts = new EnumMap<>(DiffKind.class);
    private final List<Difference> listed = new ArrayList<>();
    private final int listLimit;
    long checked;
    long targetChecked;
    long vanished;
    long uncompared;

    /** Findings listing at most {@code listLimit} differences (all are counted). */
    Findings(int listLimit) {
        this.listLimit = listLimit;
        for (DiffKind k : DiffKind.values()) {
            counts.put(k, 0L);
        }
    }

    void diff(DiffKind kind, int sourceDb, byte[] key, int targetDb, byte[] targetKey, String detail) {
        counts.merge(kind, 1L, Long::sum);
        if (listed.size() < listLimit) {
            listed.add(new Difference(kind, sourceDb, KeyNames.display(key), targetDb, KeyNames.display(targetKey), detail));
        }
    }

    /** Adds {@code other}'s counters and as many of its listed differences as still fit. */
    void add(Findings other) {
        other.counts.forEach((k, n) -> counts.merge(k, n, Long::sum));
        for (Difference d : other.listed) {
            if (listed.size() < listLimit) {
                listed.add(d);
            }
        }
        checked += other.checked;
        targetChecked += other.targetChecked;
        vanished += other.vanished;
        uncompared += other.uncompared;
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<DiffKind, Long> counts() {
        return counts;
    }

    List<Difference> listed() {
        return listed;
    }
}
