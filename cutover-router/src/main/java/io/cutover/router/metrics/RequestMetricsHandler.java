package io.cutover.router.metrics;

import io.cutover.router.route.RouteSelectionHandler;
import io.cutover.router.route.RouteTable;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts requests by route, backend and status class with a latency histogram:
 * {@code cutover_router_requests_seconds_count{route,backend,status}} and {@code ..._bucket}.
 * Meters are created up front, so the hot path only records.
 */
public final class RequestMetricsHandler extends Handler.Wrapper {
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final Map<RouteTable.Selection, Timer[]> timers = new HashMap<>();

    public RequestMetricsHandler(List<RouteTable.Selection> selections, MeterRegistry registry, Handler next) {
        super(next);
        for (RouteTable.Selection sel : selections) {
            Timer[] byClass = new Timer[CLASSES.length];
            for (int i = 0; i < CLASSES.length; i++) {
                byClass[i] = Timer.builder("cutover.router.requests")
                        .description("Requests by route, backend and status class, with latency")
                        .tags("route", sel.route(), "backend", sel.backend(), "status", CLASSES[i])
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry);
            }
            timers.put(sel, byClass);
        }
    }

    /** Requests of one selection so far: all, those answered 5xx, and the latency histogram (cumulative counts). */
    public record Counts(long total, long errors, double[] boundsSeconds, double[] cumulative) {
    }

    /** The counts of {@code selection} now; the difference of two is a window (nothing is added to the request path). */
    public Counts counts(RouteTable.Selection selection) {
        Timer[] byClass = timers.get(selection);
        double[] bounds = new double[BUCKETS.length];
        double[] cumulative = new double[BUCKETS.length];
        long total = 0;
        for (Timer t : byClass) {
            total += t.count();
            io.micrometer.core.instrument.distribution.CountAtBucket[] b = t.takeSnapshot().histogramCounts();
            for (int i = 0; i < b.length && i < bounds.length; i++) {
                bounds[i] = b[i].bucket(java.util.concurrent.TimeUnit.SECONDS);
                cumulative[i] += b[i].count();
            }
        }
        return new Counts(total, byClass[4].count(), bounds, cumulative);
    }

    /**
     * Records a request the router forwarded without this handler (see {@code ForwardingConnection}):
     * {@code status} is what the client got, 500 for a failure before the status line.
     */
    public void record(RouteTable.Selection selection, int status, long startNanos) {
        record(timers.get(selection), status, startNanos);
    }

    private static void record(Timer[] byClass, int status, long startNanos) {
        int cls = Math.min(4, Math.max(0, status / 100 - 1));
        byClass[cls].record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Timer[] byClass = timers.get(RouteSelectionHandler.selection(request));
        long start = System.nanoTime();
        Callback recorded = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                record(false);
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                record(true);
                super.failed(x);
            }

            private void record(boolean failed) {
                RequestMetricsHandler.record(byClass, failed && !response.isCommitted() ? 500 : response.getStatus(), start);
            }
        };
        return super.handle(request, response, recorded);
    }
}
