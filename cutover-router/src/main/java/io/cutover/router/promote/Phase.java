package io.cutover.router.promote;

/** Where an automatic promotion stands. */
public enum Phase {
    /** The last period was within bounds and the percentage went up. */
    ADVANCING,
    /** The percentage stays: no (or too little) traffic on the new backend, or it reached 100%. */
    HOLDING,
    /** A bound was exceeded: the percentage is 0 and stays there until the state file is removed. */
    ROLLED_BACK;

    /** The name in JSON and metrics: {@code advancing}, {@code holding}, {@code rolled_back}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Phase of(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
}
