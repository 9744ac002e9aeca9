package io.cutover.router.session;

import io.cutover.router.config.RouterSettings.OnError;
import io.cutover.router.config.RouterSettings.SessionSpec;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The session rule, for both request paths: which backends get a token, the session cookie read from the request's
 * {@code Cookie} lines, the claims resolved (cached per cookie) and the token signed for them (reused until half its
 * life is gone). A cached cookie costs a map look-up: its token is a header added to the request head.
 */
public final class SessionTokens extends ContainerLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTokens.class);

    /** The handler chain's request attribute holding the signed token to send, if any. */
    public static final String TOKEN_ATTRIBUTE = SessionTokens.class.getName() + ".token";

    /** What a request to a backend in {@code session.for} is sent with. */
    public sealed interface Outcome {
        /** Send the request with {@code token} in the token header. */
        record Token(String token) implements Outcome {
        }

        /** Send it without a token: no session cookie, an unknown session, or a failure with {@code on_error: anonymous}. */
        record Anonymous() implements Outcome {
        }

        /** Answer 503: the session service failed and {@code on_error} is {@code reject}. */
        record Reject() implements Outcome {
        }
    }

    private static final Outcome ANONYMOUS = new Outcome.Anonymous();
    private static final Outcome REJECT = new Outcome.Reject();
    private static final CompletableFuture<Outcome> ANONYMOUS_NOW = CompletableFuture.completedFuture(ANONYMOUS);
    private static final CompletableFuture<Outcome> REJECT_NOW = CompletableFuture.completedFuture(REJECT);

    private final SessionSpec spec;
    private final SessionResolver resolver;
    private final SessionTokenSigner signer;
    private final long renewAfterNanos;

    public SessionTokens(SessionSpec spec, MeterRegistry registry) {
        this.spec = spec;
        this.signer = SessionTokenSigner.of(spec.token());
        this.resolver = new SessionResolver(spec.resolve(), spec.cache(), spec.timeout(), registry);
        this.renewAfterNanos = spec.token().ttl().toNanos() / 2;
        addBean(resolver);
    }

    /** The backends whose requests carry a token. */
    public Set<String> forBackends() {
        return spec.forBackends();
    }

    /** The header the token goes in. */
    public String header() {
        return spec.token().header();
    }

    /**
     * The outcome for a request with these header {@code fields}: complete at once when the cookie's answer is cached
     * or there is no cookie, else once the session service has answered (on its client's thread).
     */
    public CompletableFuture<Outcome> outcome(Iterable<HttpField> fields) {
        String cookie = cookie(fields, spec.cookie());
        if (cookie == null) {
            return ANONYMOUS_NOW;
        }
        SessionResolver.Entry entry = resolver.lookup(cookie);
        if (entry.claims.isDone()) {
            // the hot path, a cached cookie: nothing is allocated while its token lives
            CompletableFuture<Outcome> signed = entry.signed;
            if (signed != null && System.nanoTime() - entry.renewTokenAtNanos < 0) {
                return signed;
            }
            Outcome o = outcome(entry);
            if (o instanceof Outcome.Token) {
                signed = CompletableFuture.completedFuture(o);
                entry.signed = signed;
                return signed;
            }
            return o == REJECT ? REJECT_NOW : ANONYMOUS_NOW;
        }
        return entry.claims.handle((claims, failure) -> outcome(entry));
    }

    private Outcome outcome(SessionResolver.Entry entry) {
        Optional<Map<String, Object>> claims;
        try {
            claims = entry.claims.join();
        } catch (RuntimeException e) {
            LOG.warn("session service failed: {}", e.getMessage());
            return spec.onError() == OnError.REJECT ? REJECT : ANONYMOUS;
        }
        return claims.<Outcome>map(c -> new Outcome.Token(token(entry, c))).orElse(ANONYMOUS);
    }

    private String token(SessionResolver.Entry entry, Map<String, Object> claims) {
        long now = System.nanoTime();
        String t = entry.token;
        if (t == null || now - entry.renewTokenAtNanos >= 0) {
            t = signer.sign(claims);
            entry.token = t;
            entry.renewTokenAtNanos = now + renewAfterNanos;
        }
        return t;
    }

    /** The first value of cookie {@code name} over every {@code Cookie} line (RFC 6265 §4.2.1), quotes removed. */
    static String cookie(Iterable<HttpField> fields, String name) {
        for (HttpField f : fields) {
            if (f.getHeader() != HttpHeader.COOKIE) {
                continue;
            }
            String v = f.getValue();
            int i = 0;
            while (i < v.length()) {
                int end = v.indexOf(';', i);
                if (end < 0) {
                    end = v.length();
                }
                int eq = v.indexOf('=', i);
                int from = i;
                int to = eq;
                while (from < to && v.charAt(from) == ' ') {
                    from++;
                }
                while (to > from && v.charAt(to - 1) == ' ') {
                    to--;
                }
                if (eq > 0 && eq < end && to - from == name.length() && v.regionMatches(from, name, 0, name.length())) {
                    String value = v.substring(eq + 1, end).trim();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return value;
                }
                i = end + 1;
            }
        }
        return null;
    }
}
