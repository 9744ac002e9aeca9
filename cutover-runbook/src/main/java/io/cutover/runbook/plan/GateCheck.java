package io.cutover.runbook.plan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What a gate watches, one record per signal. */
public sealed interface GateCheck {
    /** The lag of a running live-copy step (its oldest pending change) is at most {@code max}. */
    record RedisLag(String step, Duration max) implements GateCheck {
    }

    /** At most {@code max} clients other than the {@code except} names are connected to {@code uri}. */
    record RedisClients(String uri, int max, List<String> except) implements GateCheck {
    }

    /** {@code cutover sql verify} of the plan finds nothing. */
    record SqlVerify(Path plan) implements GateCheck {
    }

    /** At most {@code max} rows are still to migrate for the plan. */
    record SqlOutstanding(Path plan, long max) implements GateCheck {
    }

    /** A GET of {@code url} answers {@code status}. */
    record Http(String url, int status) implements GateCheck {
    }

    /** The Prometheus instant query's value is at most {@code max}. */
    record Prometheus(String url, String query, double max) implements GateCheck {
    }
}
