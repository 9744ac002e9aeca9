package io.cutover.router.promote;

import io.cutover.router.metrics.RequestMetricsHandler.Counts;

import java.time.Duration;

/**
 * What the new backend did on a route since a period began: requests, 5xx answers, the p99 latency read from the
 * histogram's buckets (the upper bound of the bucket the 99th percentile falls in), and shadow comparisons.
 */
record Window(long requests, long errors, Duration p99, long compared, long differing) {
    static Window between(Counts from, Counts to, long comparedFrom, long comparedTo, long differingFrom, long differingTo) {
        long n = to.total() - from.total();
        Duration p99 = Duration.ZERO;
        if (n > 0) {
            double need = Math.ceil(0.99 * n);
            p99 = null;
            for (int i = 0; i < to.boundsSeconds().length; i++) {
                if (to.cumulative()[i] - from.cumulative()[i] >= need) {
                    p99 = Duration.ofNanos((long) (to.boundsSeconds()[i] * 1e9));
                    break;
                }
            }
            if (p99 == null) {
                p99 = Duration.ofDays(1); // beyond the last bucket: longer than any bound
            }
        }
        return new Window(n, to.errors() - from.errors(), p99, comparedTo - comparedFrom, differingTo - differingFrom);
    }

    double errorRatio() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    double diffRatio() {
        return compared == 0 ? 0 : (double) differing / compared;
    }
}
