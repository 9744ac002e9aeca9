package io.cutover.router;

import io.cutover.core.error.CutoverException;
import io.cutover.router.metrics.Metrics;
import io.cutover.router.admin.AdminHandler;
import io.cutover.router.config.HostPort;
import io.cutover.router.config.RouterSettings;
import io.cutover.router.limits.HeaderTimeout;
import io.cutover.router.limits.InflightLimitHandler;
import io.cutover.router.limits.OpenFileCheck;
import io.cutover.router.lists.Allowlist;
import io.cutover.router.lists.AllowlistSources;
import io.cutover.router.lists.ListReloader;
import io.cutover.router.http.PlainErrorHandler;
import io.cutover.router.metrics.OwnAnswers;
import io.cutover.router.metrics.RequestMetricsHandler;

import io.cutover.router.proxy.BackendDispatchHandler;
import io.cutover.router.proxy.BackendPool;
import io.cutover.router.proxy.UpstreamPoolMetrics;
import io.cutover.router.proxy.ForwardingConnectionFactory;
import io.cutover.router.proxy.BackendProxy;
import io.cutover.router.proxy.EventLoopConnector;
import io.cutover.router.proxy.EventLoopThreadPool;
import io.cutover.router.route.RouteSelectionHandler;
import io.cutover.router.route.RouteTable;
import io.cutover.router.session.SessionHandler;
import io.cutover.router.session.SessionTokens;
import io.cutover.router.tls.TlsListener;
import io.cutover.router.promote.Promotions;
import java.time.Clock;
import io.cutover.router.shadow.Shadows;
import io.cutover.router.proxy.ShadowCaptureHandler;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The strangler router: a Jetty server whose handlers select a route, count it, enforce the in-flight
 * limit, attach the session token and stream the request to the chosen backend; plus an admin server
 * and the list reloader. {@link #stop()} is graceful: no new connections, in-flight requests finish
 * within {@code shutdown_grace}.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final RouterSettings settings;
    private final Metrics metrics;
    private final ListReloader reloader;
    private final Server server;
    private final EventLoopConnector connector;
    private final Server adminServer;
    private final ServerConnector adminConnector;
    private final GracefulHandler graceful;
    private final InflightLimitHandler inflight;
    private final TlsListener tls;
    private final Shadows shadows;
    private final Promotions promotions;
    private final List<String> warnings = new ArrayList<>();
    private final List<ListReloader.Outcome> initialLoad = new ArrayList<>();
    private volatile boolean stopping;

    /** Builds the router (nothing is bound or started yet). */
    public Router(RouterSettings settings, Metrics metrics) {
        this(settings, metrics, Clock.systemUTC());
    }

    /** Builds the router; {@code clock} times promotion periods. */
    public Router(RouterSettings settings, Metrics metrics, Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        var registry = metrics.registry();
        new FileDescriptorMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);

        reloader = new ListReloader(registry);
        for (RouterSettings.ListSpec l : settings.lists().values()) {
            reloader.add(l.name(), AllowlistSources.of(l, settings.baseDir()), l.refresh(), l.maxShrink());
        }
        Map<String, Allowlist> lists = reloader.lists();
        RouteTable table = new RouteTable(settings.routes(), settings.defaultBackend(), lists);

        QueuedThreadPool threads = new EventLoopThreadPool(256, 8);
        threads.setName("cutover-router");
        // no reserved threads: with one, Jetty hands the event loop over to another thread for every task that
        // may run either way (a wake-up and a context switch each); without, it runs the task in place
        threads.setReservedThreads(0);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false); // the backend's Date passes through
        // the per-connection header cache costs ~100 KB of heap per client connection: 5,000 kept-alive
        // connections would need 500 MB for it alone; parsing without it is cheap
        http.setHeaderCacheSize(0);
        http.setRequestHeaderSize(settings.limits().maxRequestHead());
        // what the handler chain gets (requests with a body, mostly) passes on as it came, as on the forwarding
        // path: %2F, //, dot segments and the like are the backend's to judge
        http.setUriCompliance(UriCompliance.UNSAFE);
        HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);
        // a connection handed over from the forwarding path brings a head of up to max_request_head with it
        httpFactory.setInputBufferSize(Math.max(httpFactory.getInputBufferSize(), settings.limits().maxRequestHead()));
        connector = new EventLoopConnector(server, -1, httpFactory); // -1: Jetty picks the selector count from the cores
        connector.setHost(settings.listen().host());
        connector.setPort(settings.listen().port());
        connector.setIdleTimeout(settings.limits().clientIdleTimeout().toMillis());
        connector.setAcceptQueueSize(4096);
        connector.addBean(new HeaderTimeout(settings.limits().clientHeaderTimeout(), connector, server.getScheduler()));
        server.addConnector(connector);
        RouterSettings.TlsSpec tlsSpec = settings.listenTls();
        if (tlsSpec != null) {
            // the same server and handler chain: a request over TLS is routed, limited and counted by the same objects
            tls = new TlsListener(server, tlsSpec.address().host(), tlsSpec.address().port(), tlsSpec.cert(), tlsSpec.key(),
                    tlsSpec.refresh(), tlsSpec.pair(), http, settings.limits().clientIdleTimeout().toMillis(), registry);
            server.addConnector(tls.connector());
            tls.connector().addBean(new HeaderTimeout(settings.limits().clientHeaderTimeout(), tls.connector(), server.getScheduler()));
            server.addBean(new NetworkConnectionLimit(settings.limits().maxClientConnections(), connector, tls.connector()));
        } else {
            tls = null;
            server.addBean(new NetworkConnectionLimit(settings.limits().maxClientConnections(), connector));
        }
        server.setStopTimeout(settings.shutdownGrace().toMillis());
        server.setStopAtShutdown(false); // Router.stop() orders the shutdown itself
        OwnAnswers answers = new OwnAnswers(registry);
        server.setErrorHandler(new PlainErrorHandler(answers::count));

        String tokenHeader = settings.session() == null ? null : settings.session().token().header();
        Map<String, BackendProxy> proxies = new LinkedHashMap<>();
        settings.backends().forEach((name, spec) ->
                proxies.put(name, new BackendProxy(spec, settings.limits(), tokenHeader, connector, answers,
                        settings.trustedProxies())));
        Handler inner = new BackendDispatchHandler(proxies);
        shadows = new Shadows(settings, registry);
        if (shadows.any()) {
            inner = new ShadowCaptureHandler(shadows, tokenHeader, inner);
        }
        SessionTokens session = settings.session() == null ? null : new SessionTokens(settings.session(), registry);
        if (session != null) {
            inner = new SessionHandler(session, answers::count, inner);
        }
        inflight = new InflightLimitHandler(settings.limits().maxInflight(), settings.limits().retryAfter(), registry, answers, inner);
        RequestMetricsHandler metered = new RequestMetricsHandler(table.selections(), registry, inflight);
        promotions = new Promotions(settings, table, metered, shadows, clock, registry);
        graceful = new GracefulHandler(new RouteSelectionHandler(table, metered));
        server.setHandler(graceful);

        // plain requests skip the handler chain: each client connection forwards them itself
        Map<String, BackendPool> pools = new LinkedHashMap<>();
        settings.backends().forEach((name, spec) ->
                pools.put(name, new BackendPool(spec, settings.limits().maxInflight(), settings.limits().maxResponseHead(), connector, server)));
        ForwardingConnectionFactory forwarding = new ForwardingConnectionFactory(table, pools, session,
                tokenHeader, metered, inflight, answers, settings.trustedProxies(), httpFactory, shadows);
        pools.values().forEach(forwarding::addBean);
        connector.addFirstConnectionFactory(forwarding);
        connector.setDefaultProtocol(forwarding.getProtocol());
        UpstreamPoolMetrics.register(registry, proxies, pools);
        io.micrometer.core.instrument.Gauge.builder("cutover.router.tunnels.open", forwarding, ForwardingConnectionFactory::openTunnels)
                .description("Upgraded connections (WebSockets) tunnelled to a backend now").register(registry);

        if (settings.admin() != null) {
            QueuedThreadPool adminThreads = new QueuedThreadPool(16, 2);
            adminThreads.setName("cutover-admin");
            adminServer = new Server(adminThreads);
            adminConnector = new ServerConnector(adminServer, 1, 1);
            adminConnector.setHost(settings.admin().host());
            adminConnector.setPort(settings.admin().port());
            adminServer.addConnector(adminConnector);
            adminServer.setHandler(new AdminHandler(metrics, reloader, settings, () -> stopping, promotions));
        } else {
            adminServer = null;
            adminConnector = null;
        }
    }

    /** Loads the lists once, binds both ports and starts serving; a port in use is a runtime error (exit 3). */
    public synchronized void start() {
        OpenFileCheck.warning(settings).ifPresent(w -> {
            warnings.add(w);
            LOG.warn(w);
        });
        initialLoad.addAll(reloader.start());
        shadows.start();
        promotions.start();
        for (ListReloader.Outcome o : initialLoad) {
            if (o.status() != ListReloader.Status.LOADED) {
                String w = "list " + o.list() + " is not loaded (" + o.message() + "); its routes go to '"
                        + settings.defaultBackend() + "' until a reload succeeds";
                warnings.add(w);
                LOG.warn(w);
            }
        }
        try {
            if (adminServer != null) {
                adminServer.start();
            }
            server.start();
            if (tls != null) {
                tls.startWatching();
            }
        } catch (Exception e) {
            stopQuietly();
            if (e instanceof BindException || e.getCause() instanceof BindException || e instanceof IOException) {
                throw CutoverException.runtime("cannot listen on " + settings.listen()
                        + (settings.admin() == null ? "" : " / admin " + settings.admin()) + ": " + e.getMessage(), e);
            }
            throw CutoverException.runtime("cannot start the router: " + e, e);
        }
    }

    /** The port requests are served on (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The TLS port, or -1 without {@code listen_tls}. */
    public int tlsPort() {
        return tls == null ? -1 : tls.port();
    }

    /** The TLS listener, or null without {@code listen_tls}. */
    public TlsListener tls() {
        return tls;
    }

    /** The admin port, or -1 without an admin address. */
    public int adminPort() {
        return adminConnector == null ? -1 : adminConnector.getLocalPort();
    }

    /** The address requests are served on. */
    public HostPort listenAddress() {
        return new HostPort(settings.listen().host() == null ? "0.0.0.0" : settings.listen().host(), port());
    }

    /** Warnings raised at start (open-file limit, lists that did not load). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** What the first load of each list did. */
    public List<ListReloader.Outcome> initialLoad() {
        return List.copyOf(initialLoad);
    }

    /** The list reloader (reload now, inspect lists). */
    public ListReloader lists() {
        return reloader;
    }

    /** The metrics registry the router reports to. */
    public Metrics metrics() {
        return metrics;
    }

    /** The promotions of the routes that have one. */
    public Promotions promotions() {
        return promotions;
    }

    /** The shadows of the routes that have one. */
    public Shadows shadows() {
        return shadows;
    }

    /** Requests in flight now. */
    public int inflight() {
        return inflight.inflight();
    }

    /**
     * Stops gracefully: closes the listening socket, lets in-flight requests finish within
     * {@code shutdown_grace}, then stops the admin port and the list reloads. Safe to call twice.
     */
    public void stop() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
        }
        LOG.info("stopping: {} requests in flight, grace {}", inflight.inflight(), settings.shutdownGrace());
        // the listening socket first: a new connection is refused at once (a load balancer retries elsewhere)
        // rather than accepted and answered 503 during the grace period
        connector.closeListener();
        if (tls != null) {
            tls.stop();
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the router: {}", e.toString());
        }
        try {
            if (adminServer != null) {
                adminServer.stop();
            }
        } catch (Exception e) {
            LOG.warn("stopping the admin port: {}", e.toString());
        }
        reloader.close();
        promotions.close();
        shadows.close();
    }

    /** Waits until the router has stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops the router gracefully on SIGTERM or SIGINT (Ctrl-C), running {@code onSignal} first; {@link #join()} then
     * returns, so the process exits with its own code (0) rather than the 143 a shutdown hook leaves.
     */
    @SuppressWarnings("sunapi")
    public void stopOnSignals(Runnable onSignal) {
        for (String name : List.of("TERM", "INT")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> new Thread(() -> {
                onSignal.run();
                stop();
            }, "cutover-router-stop").start());
        }
    }

    /** Stops the router gracefully when the JVM is asked to exit (SIGTERM, Ctrl-C). */
    public Thread stopOnShutdown() {
        Thread hook = new Thread(this::stop, "cutover-router-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
