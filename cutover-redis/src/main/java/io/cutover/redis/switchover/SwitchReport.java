package io.cutover.redis.switchover;

import io.cutover.redis.clients.ClientInfo;
import io.cutover.redis.clients.DrainResult;
import io.cutover.redis.live.LiveReport;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a switch did.
 *
 * @param pauseMode         how source writes were stopped
 * @param steps             each step with its duration, in order
 * @param verifiedKeys      changed keys compared between source and target while writes were paused; empty when
 *                          more changed than could be listed and every selected key was compared instead
 * @param differences       keys that differed (the switch was then not made)
 * @param switched          the operator confirmed (or the switch command succeeded) and the pause was released
 * @param pauseRanOut       the pause ended by itself before the switch was confirmed: writes may have reached the source
 * @param writesPaused      how long source writes were paused
 * @param drain             clients left on the source after the switch (null when not switched)
 * @param live              the live copy's summary
 * @param disconnected      clients disconnected from the source before the pause was released
 * @param lateWrites        keys written on the source after the switch (conflicts), with what was done about them
 * @param lateWritesNotListed more keys written late than {@code lateWrites} lists
 */
public record SwitchReport(PauseMode pauseMode, List<Step> steps, OptionalLong verifiedKeys, List<String> differences,
                           boolean switched, boolean pauseRanOut, Duration writesPaused, DrainResult drain,
                           LiveReport live, List<ClientInfo> disconnected, List<LateWrite> lateWrites,
                           long lateWritesNotListed) {
    public SwitchReport {
        steps = List.copyOf(steps);
        differences = List.copyOf(differences);
        disconnected = disconnected == null ? List.of() : List.copyOf(disconnected);
        lateWrites = lateWrites == null ? List.of() : List.copyOf(lateWrites);
    }

    /** One step: what was done and how long it took. */
    public record Step(String done, Duration took) {
    }

    /** Switched, identical, within the pause, every client left the source and nothing was written there late. */
    public boolean clean() {
        return switched && differences.isEmpty() && !pauseRanOut && drain != null && drain.drained()
                && lateWrites.isEmpty() && lateWritesNotListed == 0;
    }
}
