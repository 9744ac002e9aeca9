package io.cutover.router.session;

import io.cutover.router.config.RouterSettings.OnError;
import io.cutover.router.config.RouterSettings.SessionSpec;
import io.cutover.router.http.OwnAnswer;
import io.cutover.router.http.PlainText;
import io.cutover.router.proxy.BackendProxy;
import io.cutover.router.route.RouteSelectionHandler;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * For requests to the backends in {@code session.for}: resolves the session cookie (cached) and attaches a
 * short-lived signed token for {@link BackendProxy} to send. Anonymous requests go on without a token.
 * The wait for the session service is asynchronous: no thread blocks on it.
 */
public final class SessionHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);

    private final SessionSpec spec;
    private final Set<String> forBackends;
    private final SessionResolver resolver;
    private final SessionTokenSigner signer;
    private final long renewAfterNanos;
    private final java.util.function.Consumer<OwnAnswer> counted;

    public SessionHandler(SessionSpec spec, MeterRegistry registry, java.util.function.Consumer<OwnAnswer> counted, Handler next) {
        super(next);
        this.counted = counted;
        this.spec = spec;
        this.forBackends = spec.forBackends();
        this.signer = SessionTokenSigner.of(spec.token());
        this.resolver = new SessionResolver(spec.resolve(), spec.cache(), spec.timeout(), registry);
        this.renewAfterNanos = spec.token().ttl().toNanos() / 2;
        addBean(resolver);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!forBackends.contains(RouteSelectionHandler.selection(request).backend())) {
            return super.handle(request, response, callback);
        }
        String cookie = cookie(request);
        if (cookie == null) {
            return super.handle(request, response, callback);
        }
        SessionResolver.Entry entry = resolver.lookup(cookie);
        if (entry.claims.isDone()) {
            return proceed(entry, null, request, response, callback);
        }
        entry.claims.whenComplete((claims, failure) -> {
            try {
                if (!proceed(entry, failure, request, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable t) {
                callback.failed(t);
            }
        });
        return true;
    }

    private boolean proceed(SessionResolver.Entry entry, Throwable failure, Request request, Response response,
                            Callback callback) throws Exception {
        Optional<Map<String, Object>> claims;
        try {
            claims = failure == null ? entry.claims.join() : Optional.empty();
        } catch (RuntimeException e) {
            failure = e;
            claims = Optional.empty();
        }
        if (failure != null) {
            LOG.warn("session service failed: {}", failure.getMessage());
            if (spec.onError() == OnError.REJECT) {
                counted.accept(OwnAnswer.SESSION_UNAVAILABLE);
                PlainText.send(response, 503, OwnAnswer.SESSION_UNAVAILABLE.body(), callback);
                return true;
            }
        }
        if (claims.isPresent()) {
            request.setAttribute(BackendProxy.TOKEN_ATTRIBUTE, token(entry, claims.get()));
        }
        return super.handle(request, response, callback);
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

    private String cookie(Request request) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(spec.cookie())) {
                return c.getValue();
            }
        }
        return null;
    }
}
