package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;

/**
 * How a live copy talks to whoever runs it: progress displays, notes about what it did (lost subscription,
 * rescans), and the question before it turns keyspace notifications on. The defaults print nothing and refuse.
 */
public interface LiveMonitor {
    /** A progress display for one phase ("copy", "live"). */
    default Progress progress(String label, long total) {
        return Progress.silent();
    }

    /** The lag at this moment, a few times a second while the live phase runs. */
    default void status(LiveStatus status) {
    }

    /** Something the user should know, one line. */
    default void note(String message) {
    }

    /** Whether {@code question} (turn notifications on?) is answered yes; the default refuses. */
    default boolean allowEnablingNotifications(String question) {
        throw CutoverException.usage(question.replaceAll("\\?$", "") + ": not without consent (--enable-notifications)");
    }
}
