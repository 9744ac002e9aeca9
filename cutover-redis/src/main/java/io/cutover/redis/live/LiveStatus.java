package io.cutover.redis.live;

/**
 * Lag of a live copy at one moment.
 *
 * @param pending         changed keys not yet copied again
 * @param oldestMillis    age of the oldest pending change (0 when nothing is pending)
 * @param eventsPerSecond keyspace events received per second, over the last second or so
 * @param events          events received since the start
 * @param recopied        keys copied again since the initial scan
 * @param deleted         keys deleted on the target because they were gone on the source
 */
public record LiveStatus(int pending, long oldestMillis, double eventsPerSecond, long events, long recopied,
                         long deleted) {

    /** One line for progress displays. */
    public String line() {
        return String.format("pending %d, oldest %dms, %.0f events/s", pending, oldestMillis, eventsPerSecond);
    }
}
