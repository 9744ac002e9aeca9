package io.cutover.router.route;

import java.nio.charset.StandardCharsets;

/**
 * Sticky percentage rollout: an id's bucket (0–9999) is murmur3_32(id, seed 0) mod 10000, and the id is
 * in when its bucket is below percent × 100. The bucket never changes, so raising 25 → 50 keeps every id
 * that was already in.
 */
public final class StickyPercent {
    private StickyPercent() {
    }

    /** The id's bucket in [0, 10000). */
    public static int bucket(String id) {
        return (int) (Integer.toUnsignedLong(Murmur3.hash32(id.getBytes(StandardCharsets.UTF_8), 0)) % 10_000);
    }

    /** True when {@code id} falls within {@code percent} (0–100). */
    public static boolean in(String id, double percent) {
        return bucket(id) < Math.round(percent * 100);
    }
}
