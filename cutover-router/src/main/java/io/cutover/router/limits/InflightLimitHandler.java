package io.cutover.router.limits;

import io.cutover.router.http.OwnAnswer;
import io.cutover.router.http.PlainText;
import io.cutover.router.metrics.OwnAnswers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps requests in flight across all routes. Past the cap the router answers 503 with
 * {@code Retry-After} at once instead of queueing work it cannot finish.
 */
public final class InflightLimitHandler extends Handler.Wrapper {
    private final int max;
    private final String retryAfterSeconds;
    private final AtomicInteger inflight = new AtomicInteger();
    private final OwnAnswers answers;

    public InflightLimitHandler(int max, Duration retryAfter, MeterRegistry registry, OwnAnswers answers, Handler next) {
        super(next);
        this.answers = answers;
        this.max = max;
        this.retryAfterSeconds = Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
        Gauge.builder("cutover.router.inflight.requests", inflight, AtomicInteger::get)
                .description("Requests being proxied now").register(registry);
        Gauge.builder("cutover.router.inflight.max", () -> max)
                .description("The max_inflight limit").register(registry);
    }

    /** Requests in flight now. */
    public int inflight() {
        return inflight.get();
    }

    /** The {@code Retry-After} seconds of a rejection. */
    public String retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The body line of a rejection. */
    public String rejection() {
        return OwnAnswer.MAX_INFLIGHT.body() + "; retry after " + retryAfterSeconds + "s";
    }

    /** Takes a place for a request handled outside this handler; false when the router is at the limit. */
    public boolean tryAcquire() {
        if (inflight.incrementAndGet() > max) {
            inflight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a place taken by {@link #tryAcquire()}. */
    public void release() {
        inflight.decrementAndGet();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (inflight.incrementAndGet() > max) {
            inflight.decrementAndGet();
            answers.count(OwnAnswer.MAX_INFLIGHT);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds);
            PlainText.send(response, 503, rejection(), callback);
            return true;
        }
        Callback done = new Callback.Nested(callback) {
            @Override
            public void completed() {
                inflight.decrementAndGet();
            }
        };
        boolean handled;
        try {
            handled = super.handle(request, response, done);
        } catch (Throwable t) {
            inflight.decrementAndGet();
            throw t;
        }
        if (!handled) {
            inflight.decrementAndGet();
        }
        return handled;
    }
}
