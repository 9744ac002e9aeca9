package io.cutover.redis.live;

import java.util.Set;

/**
 * Where a live copy is: subscribed and copying everything, then following changes (with rescans when changes were
 * lost), then ending once the follow loop decided why, and ended. Only the thread running the copy moves it on.
 */
sealed interface LivePhase {
    /** Subscribed to the source's events; the initial copy runs. */
    record InitialCopy() implements LivePhase {
    }

    /** Changes are copied as they arrive. */
    record Following() implements LivePhase {
    }

    /** These databases are queued again after changes were lost; not caught up until that is done. */
    record Rescanning(Set<Integer> databases) implements LivePhase {
    }

    /** The follow loop ended for {@code reason}; the workers finish the batches they hold. */
    record Ending(LiveEnd reason) implements LivePhase {
    }

    /** Over, for {@code reason}. */
    record Ended(LiveEnd reason) implements LivePhase {
    }

    /** True while changes are followed (also during a rescan). */
    default boolean live() {
        return this instanceof Following || this instanceof Rescanning;
    }
}
