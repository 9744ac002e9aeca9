package io.cutover.router.metrics;

import io.cutover.router.http.OwnAnswer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/** Counts the answers the router gave itself: {@code cutover_router_own_answers_total{status,reason}}. */
public final class OwnAnswers {
    private final Map<OwnAnswer, Counter> counters = new EnumMap<>(OwnAnswer.class);

    public OwnAnswers(MeterRegistry registry) {
        for (OwnAnswer a : OwnAnswer.values()) {
            counters.put(a, Counter.builder("cutover.router.own.answers")
                    .description("Answers the router gave itself (not a backend), by status and reason")
                    .tags("status", Integer.toString(a.status()), "reason", a.reason())
                    .register(registry));
        }
    }

    public void count(OwnAnswer answer) {
        counters.get(answer).increment();
    }
}
