package io.cutover.router.promote;

import java.time.Instant;

/** A promotion now: the percentage routed to the new backend, the phase, why, and since when. */
public record PromotionStatus(double percent, Phase phase, String reason, Instant since) {
}
