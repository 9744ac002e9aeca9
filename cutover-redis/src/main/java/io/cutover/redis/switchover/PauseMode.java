package io.cutover.redis.switchover;

/** How writes on the source are stopped for the switch. */
public enum PauseMode {
    /** WRITE on 6.2+, ALL on 3.0–6.0; servers without CLIENT PAUSE (2.8) need {@link #NONE} asked for explicitly. */
    AUTO,
    /** {@code CLIENT PAUSE ms WRITE} (6.2+): reads, ours included, go on; released with CLIENT UNPAUSE. */
    WRITE,
    /**
     * {@code CLIENT PAUSE ms} pausing every command of every client, ours too (what 3.0–6.0 offer): the pause, a marker
     * message and the reads of the changed keys run in one MULTI/EXEC; the pause can only run out.
     */
    ALL,
    /** No pause (2.8 has no CLIENT PAUSE): the switch relies on clients having stopped writing — by convention only. */
    NONE
}
