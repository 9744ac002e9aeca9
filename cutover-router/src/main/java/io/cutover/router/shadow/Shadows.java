package io.cutover.router.shadow;

import io.cutover.core.error.CutoverException;
import io.cutover.router.config.RouterSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The shadows of every route that has one, with their HTTP clients (one per backend they dial, with its own threads
 * and connections, apart from the ones serving clients, and that backend's TLS trust) and the diff files. Both request
 * paths look a route's shadow up here.
 */
public final class Shadows implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Shadows.class);

    private final Map<String, Shadow> byRoute;
    private final Map<Path, DiffLog> logs = new LinkedHashMap<>();
    private final Map<String, HttpClient> clients = new LinkedHashMap<>();
    private ScheduledExecutorService counts;

    public Shadows(RouterSettings settings, MeterRegistry registry) {
        Map<String, Shadow> m = new HashMap<>();
        for (RouterSettings.RouteSpec r : settings.routes()) {
            RouterSettings.ShadowSpec s = r.shadow();
            if (s == null) {
                continue;
            }
            DiffLog log = logs.computeIfAbsent(s.diffs(), p -> new DiffLog(p, s.maxDiffs()));
            RouterSettings.BackendSpec primary = settings.backends().get(r.backend());
            RouterSettings.BackendSpec shadow = settings.backends().get(s.to());
            m.put(r.name(), new Shadow(r.name(), s, primary.url(), client(primary), shadow.url(), client(shadow), log, registry));
        }
        this.byRoute = Map.copyOf(m);
    }

    /** One client per backend the shadows dial, with that backend's TLS trust. */
    private HttpClient client(RouterSettings.BackendSpec backend) {
        return clients.computeIfAbsent(backend.name(), n -> newClient(backend));
    }

    private static HttpClient newClient(RouterSettings.BackendSpec backend) {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("cutover-shadow-" + backend.name());
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setExecutor(threads);
        if (backend.tls()) {
            connector.setSslContextFactory(io.cutover.router.tls.BackendTrust.client(backend.name(), backend.ca()));
        }
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client.setExecutor(threads);
        client.setMaxConnectionsPerDestination(16);
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        return client;
    }

    /** The route's shadow, or null. */
    public Shadow of(String route) {
        return byRoute.get(route);
    }

    /** Whether any route has a shadow. */
    public boolean any() {
        return !byRoute.isEmpty();
    }

    /** Opens the diff files (afresh) and starts the client; a file that cannot be opened is a runtime error. */
    public void start() {
        if (byRoute.isEmpty()) {
            return;
        }
        for (Map.Entry<Path, DiffLog> e : logs.entrySet()) {
            try {
                e.getValue().open();
            } catch (IOException x) {
                throw CutoverException.runtime("cannot write the shadow diffs file " + e.getKey() + ": " + x.getMessage(), x);
            }
        }
        for (HttpClient client : clients.values()) {
            try {
                client.start();
            } catch (Exception x) {
                throw CutoverException.runtime("cannot start the shadow client: " + x, x);
            }
        }
        counts = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutover-shadow-counts");
            t.setDaemon(true);
            return t;
        });
        counts.scheduleWithFixedDelay(() -> byRoute.values().forEach(Shadow::writeCount), 1, 1, TimeUnit.SECONDS);
    }

    /** Finishes queued comparisons (briefly), writes the totals and closes the files. */
    @Override
    public void close() {
        if (byRoute.isEmpty()) {
            return;
        }
        if (counts != null) {
            counts.shutdownNow();
        }
        byRoute.values().forEach(Shadow::close);
        logs.values().forEach(DiffLog::close);
        for (HttpClient client : clients.values()) {
            try {
                client.stop();
            } catch (Exception e) {
                LOG.debug("stopping the shadow client", e);
            }
        }
    }
}
