package io.cutover.runbook.timeline;

import java.time.Duration;

/**
 * How long a step is expected to take: as planned, and the median and 90th percentile of its rehearsals
 * ({@code samples} of them; both null when there were none).
 */
public record Estimate(Duration planned, Duration median, Duration p90, int samples) {
    /** The expected duration: the rehearsals' median when there is one, else the plan. */
    public Duration expected() {
        return median != null ? median : planned;
    }

    /** The pessimistic duration: the rehearsals' p90 when there is one, else the plan. */
    public Duration pessimistic() {
        return p90 != null ? p90 : planned;
    }

    /** Where {@link #expected()} comes from, for people. */
    public String basis() {
        return samples == 0 ? "planned" : "p50 of " + samples + " rehearsal" + (samples == 1 ? "" : "s");
    }
}
