package io.cutover.router.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Asks the session service who a cookie belongs to: 200 with a JSON object gives the claims, 404 means
 * anonymous. Answers (anonymous ones too) are cached for {@code cache}; concurrent requests for one cookie
 * share one call; failures are not cached.
 */
public final class SessionResolver extends ContainerLifeCycle {
    private static final int MAX_ENTRIES = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String resolveTemplate;
    private final long cacheNanos;
    private final Duration timeout;
    private final HttpClient client = new HttpClient();
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Counter calls;
    private final Counter failures;

    /** A cached answer and the token signed for it (reused until half its life is gone). */
    public static final class Entry {
        final CompletableFuture<Optional<Map<String, Object>>> claims;
        final long expiresNanos;
        volatile String token;
        volatile long renewTokenAtNanos;
        /** The token's outcome, answered as it is to every request until the token is renewed. */
        volatile CompletableFuture<SessionTokens.Outcome> signed;

        Entry(CompletableFuture<Optional<Map<String, Object>>> claims, long expiresNanos) {
            this.claims = claims;
            this.expiresNanos = expiresNanos;
        }
    }

    public SessionResolver(String resolveTemplate, Duration cache, Duration timeout, MeterRegistry registry) {
        this.resolveTemplate = resolveTemplate;
        this.cacheNanos = cache.toNanos();
        this.timeout = timeout;
        client.setFollowRedirects(false);
        client.setConnectTimeout(timeout.toMillis());
        addBean(client);
        calls = Counter.builder("cutover.router.session.resolves").description("Calls to the session service")
                .register(registry);
        failures = Counter.builder("cutover.router.session.resolve.failures")
                .description("Session service calls that failed (error, timeout, unexpected status)").register(registry);
    }

    /** The cache entry for {@code cookie}, calling the session service when there is no fresh one. */
    public Entry lookup(String cookie) {
        long now = System.nanoTime();
        Entry e = cache.get(cookie);
        if (e != null && now - e.expiresNanos < 0 && !e.claims.isCompletedExceptionally()) {
            return e;
        }
        if (cache.size() >= MAX_ENTRIES) {
            cache.values().removeIf(x -> now - x.expiresNanos >= 0);
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
        }
        Entry fresh = new Entry(new CompletableFuture<>(), now + cacheNanos);
        Entry won = cache.compute(cookie, (k, old) ->
                old != null && now - old.expiresNanos < 0 && !old.claims.isCompletedExceptionally() ? old : fresh);
        if (won == fresh) {
            call(cookie, fresh);
        }
        return won;
    }

    private void call(String cookie, Entry entry) {
        calls.increment();
        String url = resolveTemplate.replace("{cookie}", URLEncoder.encode(cookie, StandardCharsets.UTF_8));
        client.newRequest(url).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .send(new BufferingResponseListener(256 * 1024) {
                    @Override
                    public void onComplete(org.eclipse.jetty.client.Result result) {
                        try {
                            if (result.isFailed()) {
                                throw new IOException("session service: " + result.getFailure(), result.getFailure());
                            }
                            int status = result.getResponse().getStatus();
                            if (status == 404) {
                                entry.claims.complete(Optional.empty());
                            } else if (status == 200) {
                                @SuppressWarnings("unchecked")
                                Map<String, Object> claims = JSON.readValue(getContentAsString(StandardCharsets.UTF_8), Map.class);
                                entry.claims.complete(Optional.of(claims));
                            } else {
                                throw new IOException("session service answered HTTP " + status);
                            }
                        } catch (Exception ex) {
                            failures.increment();
                            cache.remove(cookie, entry);
                            entry.claims.completeExceptionally(ex);
                        }
                    }
                });
    }
}
