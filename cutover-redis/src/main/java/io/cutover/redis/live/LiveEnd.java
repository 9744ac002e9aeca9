package io.cutover.redis.live;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a live copy ended. */
public enum LiveEnd {
    /** No change for the idle time (--idle-exit). */
    IDLE("idle"),
    /** Asked to stop (SIGTERM, Ctrl-C, a switch), with every pending change copied. */
    STOP("stop"),
    /** Asked to stop, but pending changes were still left when the flush time ran out. */
    FLUSH_TIMEOUT("flush timeout"),
    /** A worker failed; the failure is thrown. */
    FAILURE("failure");

    private final String text;

    LiveEnd(String text) {
        this.text = text;
    }

    /** As printed and in JSON. */
    @JsonValue
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
