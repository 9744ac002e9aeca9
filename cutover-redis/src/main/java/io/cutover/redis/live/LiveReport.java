package io.cutover.redis.live;

import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.KeyFailure;

import java.time.Duration;
import java.util.List;

/**
 * What a live copy did.
 *
 * @param initial       the report of the initial scan and copy
 * @param notifications what was found or done about {@code notify-keyspace-events}
 * @param events        keyspace events received
 * @param recopied      keys copied again after a change
 * @param deleted       keys deleted on the target because they were deleted or expired on the source
 * @param rescans       databases scanned again after the change set overflowed or the subscription dropped
 * @param failed        keys that could not be copied again
 * @param failures      the first of them, with reasons
 * @param maxPending    the most keys pending at once
 * @param maxLagMillis  the oldest a pending change got
 * @param pendingAtEnd  keys still pending when it ended (0 unless the flush timed out)
 * @param endedBy       why it ended
 * @param notes         what happened along the way (subscription lost, rescans), in order
 * @param elapsed       wall-clock time including the initial copy
 */
public record LiveReport(CopyReport initial, String notifications, long events, long recopied, long deleted,
                         int rescans, long failed, List<KeyFailure> failures, int maxPending, long maxLagMillis,
                         int pendingAtEnd, LiveEnd endedBy, List<String> notes, Duration elapsed) {

    /** True when the initial copy was clean, nothing failed since, and nothing was left pending. */
    public boolean clean() {
        return failed == 0 && pendingAtEnd == 0 && initial.failed() == 0;
    }
}
