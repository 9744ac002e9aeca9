package io.cutover.router.promote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.router.config.RouterSettings.PromoteSpec;
import io.cutover.router.metrics.RequestMetricsHandler;
import io.cutover.router.metrics.RequestMetricsHandler.Counts;
import io.cutover.router.route.RouteTable;
import io.cutover.router.route.Share;
import io.cutover.router.shadow.Shadow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Promotes one route's percentage rollout: every {@code every} it raises the share by {@code step} while the new
 * backend's 5xx ratio, p99 and shadow diff ratio on this route stay within bounds, and drops it to 0 the moment one is
 * exceeded (checked often within the period, once the period has {@code min_requests}). With too little traffic it
 * holds. The share and phase are written to a state file on every change and read back at start, so a restart neither
 * forgets progress nor undoes a rollback.
 */
public final class Promoter {
    private static final Logger LOG = LoggerFactory.getLogger(Promoter.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String route;
    private final PromoteSpec spec;
    private final Share share;
    private final RouteTable.Selection selection;
    private final RequestMetricsHandler metrics;
    private final Shadow shadow;
    private final Clock clock;
    private final Counter rollbacks5xx;
    private final Counter rollbacksP99;
    private final Counter rollbacksDiff;
    private volatile PromotionStatus status;
    private Instant periodStart;
    private Counts base;
    private long baseCompared;
    private long baseDiffering;

    Promoter(String route, PromoteSpec spec, Share share, RouteTable.Selection selection, RequestMetricsHandler metrics,
             Shadow shadow, Clock clock, MeterRegistry registry) {
        this.route = route;
        this.spec = spec;
        this.share = share;
        this.selection = selection;
        this.metrics = metrics;
        this.shadow = shadow;
        this.clock = clock;
        Instant now = clock.instant();
        PromotionStatus saved = read(spec.state());
        if (saved != null) {
            share.set(saved.percent());
            status = saved;
            LOG.info("route {}: promotion resumes at {}% ({}) from {}", route, fmt(saved.percent()), saved.phase().label(), spec.state());
        } else {
            status = new PromotionStatus(share.percent(), Phase.ADVANCING, "started at " + fmt(share.percent()) + "%", now);
        }
        Gauge.builder("cutover.router.rollout.percent", share, Share::percent).tag("route", route)
                .description("The share of ids a percentage rollout sends to the new backend now").register(registry);
        for (Phase p : Phase.values()) {
            Gauge.builder("cutover.router.promotion.state", this, x -> x.status.phase() == p ? 1 : 0)
                    .tags("route", route, "state", p.label()).description("1 for the promotion's current state")
                    .register(registry);
        }
        rollbacks5xx = rollbacks(registry, "max_5xx_ratio");
        rollbacksP99 = rollbacks(registry, "max_p99");
        rollbacksDiff = rollbacks(registry, "max_diff_ratio");
        startPeriod(now);
    }

    private Counter rollbacks(MeterRegistry registry, String bound) {
        return Counter.builder("cutover.router.promotion.rollbacks").tags("route", route, "bound", bound)
                .description("Promotions dropped to 0 because the new backend exceeded a bound").register(registry);
    }

    /** The route. */
    public String route() {
        return route;
    }

    /** The promotion now. */
    public PromotionStatus status() {
        return status;
    }

    private void startPeriod(Instant now) {
        periodStart = now;
        base = metrics.counts(selection);
        baseCompared = shadow == null ? 0 : shadow.compared();
        baseDiffering = shadow == null ? 0 : shadow.differing();
    }

    /** Looks at the period so far: rolls back on a breach, and at the period's end advances or holds. */
    public synchronized void check() {
        if (status.phase() == Phase.ROLLED_BACK) {
            return;
        }
        Instant now = clock.instant();
        Window w = Window.between(base, metrics.counts(selection), baseCompared, shadow == null ? 0 : shadow.compared(),
                baseDiffering, shadow == null ? 0 : shadow.differing());
        if (w.requests() >= spec.minRequests()) {
            String breach = breach(w);
            if (breach != null) {
                rollBack(breach, now);
                return;
            }
        }
        if (now.isBefore(periodStart.plus(spec.every()))) {
            return;
        }
        if (w.requests() < spec.minRequests()) {
            hold(w.requests() == 0 ? "no requests to the new backend in the last " + human(spec.every())
                    : "only " + w.requests() + " requests to the new backend in the last " + human(spec.every())
                    + " (min_requests " + spec.minRequests() + ")", now);
        } else if (share.percent() >= 100) {
            hold("at 100%", now);
        } else {
            double next = Math.min(100, share.percent() + spec.step());
            String why = "within bounds over " + w.requests() + " requests: 5xx ratio " + ratio(w.errorRatio())
                    + ", p99 <= " + human(w.p99()) + (shadow == null ? "" : ", diff ratio " + ratio(w.diffRatio()));
            share.set(next);
            change(new PromotionStatus(next, Phase.ADVANCING, "raised to " + fmt(next) + "%: " + why, now));
            LOG.info("route {}: promotion raised the share to {}%: {}", route, fmt(next), why);
        }
        startPeriod(now);
    }

    private String breach(Window w) {
        if (w.errorRatio() > spec.max5xxRatio()) {
            rollbacks5xx.increment();
            return "5xx ratio " + ratio(w.errorRatio()) + " (" + w.errors() + " of " + w.requests() + ") > max_5xx_ratio "
                    + spec.max5xxRatio();
        }
        if (w.p99().compareTo(spec.maxP99()) > 0) {
            rollbacksP99.increment();
            return "p99 " + (w.p99().toDays() >= 1 ? "over 30s" : "up to " + human(w.p99())) + " > max_p99 " + human(spec.maxP99());
        }
        if (shadow != null && w.compared() > 0 && w.diffRatio() > spec.maxDiffRatio()) {
            rollbacksDiff.increment();
            return "shadow diff ratio " + ratio(w.diffRatio()) + " (" + w.differing() + " of " + w.compared()
                    + ") > max_diff_ratio " + spec.maxDiffRatio();
        }
        return null;
    }

    private void rollBack(String reason, Instant now) {
        double was = share.percent();
        share.set(0);
        change(new PromotionStatus(0, Phase.ROLLED_BACK, "dropped from " + fmt(was) + "% to 0%: " + reason, now));
        LOG.warn("route {}: promotion rolled back from {}% to 0%: {}; remove {} to start again", route, fmt(was), reason,
                spec.state());
    }

    private void hold(String reason, Instant now) {
        if (status.phase() != Phase.HOLDING || !status.reason().equals(reason)) {
            change(new PromotionStatus(share.percent(), Phase.HOLDING, reason, now));
        }
    }

    private void change(PromotionStatus s) {
        status = s;
        write(s);
    }

    private void write(PromotionStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", route);
        m.put("percent", s.percent());
        m.put("state", s.phase().label());
        m.put("reason", s.reason());
        m.put("since", s.since().toString());
        Path file = spec.state();
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, MAPPER.writeValueAsString(m) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("route {}: cannot write the promotion state to {}: {} (a restart would start from the configured percent)",
                    route, file, e.toString());
        }
    }

    private static PromotionStatus read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            JsonNode n = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            double percent = n.path("percent").asDouble(-1);
            if (percent < 0 || percent > 100) {
                throw new IOException("percent out of range");
            }
            return new PromotionStatus(percent, Phase.of(n.path("state").asText()), n.path("reason").asText(),
                    Instant.parse(n.path("since").asText()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("promotion state {} is unreadable ({}); starting from the configured percent", file, e.toString());
            return null;
        }
    }

    private static String fmt(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.2f", p);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.4f", r);
    }

    private static String human(Duration d) {
        if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0 && d.toSeconds() > 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
