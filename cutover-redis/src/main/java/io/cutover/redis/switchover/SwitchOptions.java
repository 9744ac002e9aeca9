package io.cutover.redis.switchover;

import io.cutover.core.error.CutoverException;

import java.time.Duration;
import java.util.List;

/**
 * How a switch runs.
 *
 * @param pauseTimeout   how long source writes stay paused at most (the server lifts the pause by itself then)
 * @param drainTimeout   how long to wait for the live copy to catch up, before and during the pause
 * @param clientsTimeout how long to watch clients leave the source after the switch
 * @param ignoreClients  client names or addresses not to wait for
 * @param pauseMode      how writes are stopped
 * @param verifyLimit    changed keys remembered for the final verify (more → a full verify while paused, WRITE only)
 * @param keepClients    leave the clients still on the source connected at the release instead of disconnecting them
 */
public record SwitchOptions(Duration pauseTimeout, Duration drainTimeout, Duration clientsTimeout,
                            List<String> ignoreClients, PauseMode pauseMode, int verifyLimit, boolean keepClients) {
    public SwitchOptions {
        if (pauseTimeout == null || pauseTimeout.toMillis() < 100) {
            throw CutoverException.usage("--pause-timeout: expected at least 100ms");
        }
        if (drainTimeout == null || drainTimeout.isNegative() || drainTimeout.isZero()) {
            throw CutoverException.usage("--drain-timeout: expected a positive duration");
        }
        if (clientsTimeout == null || clientsTimeout.isNegative()) {
            throw CutoverException.usage("--clients-timeout: expected a duration");
        }
        ignoreClients = ignoreClients == null ? List.of() : List.copyOf(ignoreClients);
        if (pauseMode == null) {
            pauseMode = PauseMode.AUTO;
        }
        if (verifyLimit < 0) {
            throw CutoverException.usage("verify limit must not be negative");
        }
    }

    /** 30 s pause, 30 s to catch up, 60 s to watch clients, automatic pause mode, 100k changed keys verified. */
    public static SwitchOptions defaults() {
        return new SwitchOptions(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60), List.of(),
                PauseMode.AUTO, 100_000, false);
    }

    public SwitchOptions withPauseTimeout(Duration d) {
        return new SwitchOptions(d, drainTimeout, clientsTimeout, ignoreClients, pauseMode, verifyLimit, keepClients);
    }

    public SwitchOptions withDrainTimeout(Duration d) {
        return new SwitchOptions(pauseTimeout, d, clientsTimeout, ignoreClients, pauseMode, verifyLimit, keepClients);
    }

    public SwitchOptions withClientsTimeout(Duration d) {
        return new SwitchOptions(pauseTimeout, drainTimeout, d, ignoreClients, pauseMode, verifyLimit, keepClients);
    }

    public SwitchOptions withIgnoreClients(List<String> names) {
        return new SwitchOptions(pauseTimeout, drainTimeout, clientsTimeout, names, pauseMode, verifyLimit, keepClients);
    }

    public SwitchOptions withKeepClients(boolean keep) {
        return new SwitchOptions(pauseTimeout, drainTimeout, clientsTimeout, ignoreClients, pauseMode, verifyLimit, keep);
    }

    public SwitchOptions withPauseMode(PauseMode m) {
        return new SwitchOptions(pauseTimeout, drainTimeout, clientsTimeout, ignoreClients, m, verifyLimit, keepClients);
    }
}
