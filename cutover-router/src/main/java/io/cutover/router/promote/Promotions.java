package io.cutover.router.promote;

import io.cutover.router.config.RouterSettings;
import io.cutover.router.metrics.RequestMetricsHandler;
import io.cutover.router.route.RouteTable;
import io.cutover.router.shadow.Shadows;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The promoters of every route whose percentage has {@code promote:}, and the timer that checks them. */
public final class Promotions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Promotions.class);

    private final Map<String, Promoter> byRoute;
    private final long checkMillis;
    private ScheduledExecutorService timer;

    public Promotions(RouterSettings settings, RouteTable table, RequestMetricsHandler metrics, Shadows shadows, Clock clock,
                      MeterRegistry registry) {
        Map<String, Promoter> m = new LinkedHashMap<>();
        long check = 1000;
        for (RouterSettings.RouteSpec r : settings.routes()) {
            RouterSettings.ConditionSpec c = r.promoted();
            if (c == null) {
                continue;
            }
            m.put(r.name(), new Promoter(r.name(), c.promote(), table.share(r.name()), table.selection(r.name()), metrics,
                    shadows.of(r.name()), clock, registry));
            // a breach is seen within a tenth of the period (at most a second): "the moment" at the scale of a period
            check = Math.min(check, Math.max(10, c.promote().every().toMillis() / 10));
        }
        this.byRoute = Map.copyOf(m);
        this.checkMillis = check;
    }

    /** The route's promoter, or null. */
    public Promoter of(String route) {
        return byRoute.get(route);
    }

    /** Checks every promoter now (the timer does this on its own; tests with a fixed clock call it). */
    public void checkNow() {
        for (Promoter p : byRoute.values()) {
            try {
                p.check();
            } catch (RuntimeException e) {
                LOG.warn("route {}: promotion check failed: {}", p.route(), e.toString());
            }
        }
    }

    /** Starts the timer. */
    public void start() {
        if (byRoute.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutover-promote");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::checkNow, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
