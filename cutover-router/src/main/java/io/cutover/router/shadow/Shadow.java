package io.cutover.router.shadow;

import io.cutover.router.config.RouterSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shadow traffic for one route. A sampled request's primary answer, once the client has it, is queued with the request;
 * a worker sends the request to the shadow backend (its own connections and timeout) and compares the two answers.
 * The client's answer never waits for any of it: a full queue drops the copy and counts it.
 *
 * <p>Noise is learned as Diffy does: for a sample of reads the request also goes to the primary a second time, and a
 * field that differs between two answers of the primary (a timestamp, a request id) is noise from then on: a later
 * difference in it is not counted.
 */
public final class Shadow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shadow.class);
    /** Reads that always learn noise first, before {@code noise_sample} takes over. */
    private static final int LEARN_FIRST = 20;
    /** The most distinct field labels per route: past it, {@code other} (a metric label per user id would not do). */
    private static final int MAX_FIELDS = 200;

    private final String route;
    private final RouterSettings.ShadowSpec spec;
    private final URI primaryUrl;
    private final HttpClient primaryClient;
    private final URI shadowUrl;
    private final HttpClient shadowClient;
    private final ThreadPoolExecutor workers;
    private final AnswerComparison comparison;
    private final DiffLog log;
    private final MeterRegistry registry;
    private final Counter compared;
    private final Counter droppedFull;
    private final Counter shadowFailed;
    private final Counter tooLarge;
    private final Map<String, Counter> differences = new ConcurrentHashMap<>();
    private final Set<String> noise = ConcurrentHashMap.newKeySet();
    private final AtomicLong comparedCount = new AtomicLong();
    private final AtomicLong differingCount = new AtomicLong();
    private final Map<String, AtomicLong> byField = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();
    private volatile long countedAt = -1;

    Shadow(String route, RouterSettings.ShadowSpec spec, URI primaryUrl, HttpClient primaryClient, URI shadowUrl,
           HttpClient shadowClient, DiffLog log, MeterRegistry registry) {
        this.route = route;
        this.spec = spec;
        this.primaryUrl = primaryUrl;
        this.primaryClient = primaryClient;
        this.shadowUrl = shadowUrl;
        this.shadowClient = shadowClient;
        this.log = log;
        this.registry = registry;
        this.comparison = new AnswerComparison(spec.headers(), spec.ignore());
        int threads = 2;
        workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(spec.queue()), r -> {
            Thread t = new Thread(r, "cutover-shadow-" + route);
            t.setDaemon(true);
            return t;
        });
        compared = Counter.builder("cutover.router.shadow.compared").tag("route", route)
                .description("Shadowed requests whose answers were compared").register(registry);
        droppedFull = dropped("queue_full");
        shadowFailed = dropped("shadow_failed");
        tooLarge = dropped("too_large");
    }

    private Counter dropped(String reason) {
        return Counter.builder("cutover.router.shadow.dropped").tags("route", route, "reason", reason)
                .description("Shadow copies not compared: queue full, shadow failed or timed out, answer too large")
                .register(registry);
    }

    /** The route. */
    public String route() {
        return route;
    }

    /** Whether this request is to be shadowed: its method may be, and it falls in the sample. */
    public boolean wants(String method) {
        if (!spec.writes() && !ShadowRequest.read(method)) {
            return false;
        }
        double p = spec.percent();
        return p >= 100 || (p > 0 && ThreadLocalRandom.current().nextDouble() * 100 < p);
    }

    /** Whether shadowed requests of this route may have a body to capture. */
    public boolean writes() {
        return spec.writes();
    }

    /**
     * Queues the comparison with the primary's answer, which {@code primary} gives on a worker thread (parsing is no
     * work for the thread serving clients); never blocks. A null or truncated answer is counted and not compared.
     */
    public void submit(ShadowRequest request, java.util.function.Supplier<Observed> primary) {
        try {
            workers.execute(() -> compare(request, primary.get()));
        } catch (RejectedExecutionException e) {
            droppedFull.increment();
        }
    }

    private void compare(ShadowRequest request, Observed primary) {
        if (primary == null || primary.truncated()) {
            tooLarge.increment();
            return;
        }
        boolean learn = ShadowRequest.read(request.method())
                && (reads.incrementAndGet() <= LEARN_FIRST || ThreadLocalRandom.current().nextDouble() < spec.noiseSample());
        Observed shadow;
        Observed again = null;
        try {
            shadow = send(shadowClient, shadowUrl, request);
            if (learn) {
                again = send(primaryClient, primaryUrl, request);
            }
        } catch (Exception e) {
            LOG.debug("shadow of route {} failed: {}", route, e.toString());
            shadowFailed.increment();
            return;
        }
        if (again != null) {
            for (Difference d : comparison.compare(primary, again)) {
                if (noise.add(d.field())) {
                    LOG.info("shadow of route {}: {} differs between two answers of the primary; it is noise from now on",
                            route, d.field());
                }
            }
        }
        List<Difference> found = new ArrayList<>();
        for (Difference d : comparison.compare(primary, shadow)) {
            if (!noise.contains(d.field())) {
                found.add(d);
            }
        }
        compared.increment();
        comparedCount.incrementAndGet();
        if (!found.isEmpty()) {
            differingCount.incrementAndGet();
            for (String f : AnswerComparison.fields(found)) {
                String label = byField.size() >= MAX_FIELDS && !byField.containsKey(f) ? "other" : f;
                byField.computeIfAbsent(label, k -> new AtomicLong()).incrementAndGet();
                differences.computeIfAbsent(label, k -> Counter.builder("cutover.router.shadow.differences")
                        .tags("route", route, "field", k).description("Shadow answers that differ from the primary's, by field")
                        .register(registry)).increment();
            }
            log.diff(route, request, found, primary, shadow);
        }
    }

    private Observed send(HttpClient client, URI base, ShadowRequest r) throws Exception {
        String prefix = base.getRawPath() == null || base.getRawPath().equals("/") ? ""
                : base.getRawPath().replaceAll("/$", "");
        Request out = client.newRequest(base.getHost(), base.getPort() > 0 ? base.getPort() : base.getScheme().equals("https") ? 443 : 80).scheme(base.getScheme())
                .method(r.method()).path(prefix + r.target()).timeout(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        out.headers(h -> {
            for (Map.Entry<String, String> e : r.headers()) {
                h.add(e.getKey(), e.getValue());
            }
            h.put("X-Cutover-Shadow", "1"); // a backend can tell a copy from the real request (and not e-mail twice)
        });
        if (r.body() != null && r.body().length > 0) {
            out.body(new org.eclipse.jetty.client.BytesRequestContent(r.body()));
        }
        ContentResponse resp = out.send();
        java.util.Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        for (HttpField f : resp.getHeaders()) {
            headers.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>(1)).add(f.getValue());
        }
        return new Observed(resp.getStatus(), headers, resp.getContent(), false);
    }

    /** Compared pairs so far. */
    public long compared() {
        return comparedCount.get();
    }

    /** Pairs with at least one counted difference so far. */
    public long differing() {
        return differingCount.get();
    }

    /** The fields learned to be noise. */
    public Set<String> noise() {
        return Set.copyOf(noise);
    }

    /** Writes the totals line when they changed since the last one. */
    void writeCount() {
        long c = comparedCount.get();
        if (c == countedAt) {
            return;
        }
        countedAt = c;
        Map<String, Long> fields = new TreeMap<>();
        byField.forEach((f, n) -> fields.put(f, n.get()));
        log.count(route, c, differingCount.get(), fields);
    }

    /** Waits briefly for queued comparisons, then writes the totals. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(spec.timeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        writeCount();
    }

}
