package io.cutover.redis.switchover;

import io.cutover.redis.keys.KeyText;

/**
 * A key written on the old instance after the switch: a conflict, because clients may already have written it on
 * the target.
 *
 * @param db        source database
 * @param key       the exact key
 * @param lastEvent the last keyspace event seen for it ({@code incrby}, {@code set}, {@code del}…)
 * @param outcome   what the switch did about it
 * @param reason    why it could not be copied ({@link Outcome#FAILED}), else empty
 */
public record LateWrite(int db, byte[] key, String lastEvent, Outcome outcome, String reason) {

    /** What was done with a key written late. */
    public enum Outcome {
        /** The target had no such key: the source's value was copied. */
        COPIED("copied to the target (it had no such key)"),
        /** The target holds the same value: nothing to do. */
        SAME("the target holds the same value"),
        /** The target holds another value, maybe written there after the switch: left alone. */
        TARGET_DIFFERS("NOT copied: the target holds another value; decide which one is right"),
        /** Deleted (or expired) on the source after the switch: the target's copy was left alone. */
        GONE_ON_SOURCE("gone from the source; the target's copy was left alone"),
        /** The copy failed. */
        FAILED("could not be copied");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One line: {@code db 0 counter (incrby): NOT copied: …}, the key quoted and cut as in every table. */
    public String describe() {
        return "db " + db + " " + KeyText.cut(key) + " (" + lastEvent + "): " + outcome.text()
                + (reason.isEmpty() ? "" : ": " + reason);
    }
}
