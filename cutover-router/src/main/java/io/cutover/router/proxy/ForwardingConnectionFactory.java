package io.cutover.router.proxy;

import io.cutover.router.config.Cidr;
import io.cutover.router.limits.InflightLimitHandler;
import io.cutover.router.metrics.OwnAnswers;
import io.cutover.router.metrics.RequestMetricsHandler;
import io.cutover.router.route.RouteTable;
import io.cutover.router.session.SessionTokens;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.util.component.Graceful;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The router's client connections. Each one forwards plain requests itself ({@link ForwardingConnection}): HTTP/1.1,
 * no body, an ordinary path, a backend that needs no session token. The first request that is anything else
 * hands the connection, with its bytes, to Jetty's HTTP/1.1 connection and the handler chain, which then serves it
 * for good. Both paths route, count, limit and answer failures alike.
 */
public final class ForwardingConnectionFactory extends AbstractConnectionFactory implements Graceful {
    final RouteTable routes;
    final Map<String, BackendPool> pools;
    /** The session rule (null without a session): its backends' requests carry a token, added to the head. */
    final SessionTokens session;
    /** The session token header in lower case (always stripped from clients), or null. */
    final String tokenHeader;
    final RequestMetricsHandler metrics;
    final InflightLimitHandler inflight;
    final OwnAnswers answers;
    final ForwardedHeaders forwarded;
    final HttpConnectionFactory http;
    final io.cutover.router.shadow.Shadows shadows;
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicInteger tunnels = new AtomicInteger();
    private volatile CompletableFuture<Void> shutdown;

    public ForwardingConnectionFactory(RouteTable routes, Map<String, BackendPool> pools, SessionTokens session,
                                       String tokenHeader, RequestMetricsHandler metrics, InflightLimitHandler inflight,
                                       OwnAnswers answers, List<Cidr> trustedProxies,
                                       HttpConnectionFactory http, io.cutover.router.shadow.Shadows shadows) {
        super("cutover-forward");
        this.routes = routes;
        this.pools = Map.copyOf(pools);
        this.session = session;
        this.tokenHeader = tokenHeader == null ? null : tokenHeader.toLowerCase(Locale.ROOT);
        this.metrics = metrics;
        this.inflight = inflight;
        this.answers = answers;
        this.forwarded = new ForwardedHeaders(trustedProxies);
        this.http = http;
        this.shadows = shadows;
        setInputBufferSize(http.getHttpConfiguration().getRequestHeaderSize());
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return configure(new ForwardingConnection(this, connector, endPoint), connector, endPoint);
    }

    /** Counts a forwarded exchange in; false once the server is shutting down (the handler chain answers then). */
    boolean exchangeBegins() {
        exchanges.incrementAndGet();
        if (shutdown != null) {
            exchangeEnds();
            return false;
        }
        return true;
    }

    /** Upgraded connections (WebSockets) open now. */
    public int openTunnels() {
        return tunnels.get();
    }

    void tunnelOpened() {
        tunnels.incrementAndGet();
    }

    void tunnelClosed() {
        tunnels.decrementAndGet();
    }

    void exchangeEnds() {
        if (exchanges.decrementAndGet() == 0 && shutdown != null) {
            shutdown.complete(null);
        }
    }

    /** Graceful stop: no new exchanges on this path; done when the ones under way have ended. */
    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = shutdown;
        if (done == null) {
            done = new CompletableFuture<>();
            shutdown = done;
            if (exchanges.get() == 0) {
                done.complete(null);
            }
        }
        return done;
    }

    @Override
    public boolean isShutdown() {
        return shutdown != null;
    }
}
