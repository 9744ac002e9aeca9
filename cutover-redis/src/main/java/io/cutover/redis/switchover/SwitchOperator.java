package io.cutover.redis.switchover;

import io.cutover.redis.clients.ClientList;
import io.cutover.redis.live.LiveMonitor;

import java.time.Duration;
import java.time.Instant;

/** The person (or script) running a switch: sees each step, moves the clients, watches them drain. */
public interface SwitchOperator extends LiveMonitor {
    /** A step finished: what was done and how long it took. */
    default void step(String done, Duration took) {
    }

    /**
     * Shows {@code instruction} and returns once the clients point at the target (the operator confirmed, or a switch
     * command succeeded): true to release the pause and finish, false to abort before anything was switched.
     * {@code pauseEnds} is when the server lifts the pause by itself.
     */
    boolean switchClients(String instruction, Instant pauseEnds);

    /** A listing of the clients still on the source, while they drain. */
    default void clientsLeft(ClientList clients) {
    }
}
