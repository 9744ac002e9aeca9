package io.cutover.router.proxy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;

import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/** Connection pool use per backend (both paths' pools added up): {@code cutover_router_upstream_connections{backend,state}} and the limit. */
public final class UpstreamPoolMetrics {
    private UpstreamPoolMetrics() {
    }

    /** Registers the gauges for every proxy. */
    public static void register(MeterRegistry registry, Map<String, BackendProxy> proxies, Map<String, BackendPool> pools) {
        proxies.forEach((name, proxy) -> {
            BackendPool pool = pools.get(name);
            gauge(registry, name, "active", proxy, AbstractConnectionPool::getActiveConnectionCount, pool::activeCount);
            gauge(registry, name, "idle", proxy, AbstractConnectionPool::getIdleConnectionCount, pool::idleCount);
            gauge(registry, name, "pending", proxy, AbstractConnectionPool::getPendingConnectionCount, pool::pendingCount);
            Gauge.builder("cutover.router.upstream.max.connections", proxy, p -> p.spec().maxConnections())
                    .description("The backend's max_connections").tag("backend", name).register(registry);
        });
    }

    private static void gauge(MeterRegistry registry, String backend, String state, BackendProxy proxy,
                              ToIntFunction<AbstractConnectionPool> count, IntSupplier forwarded) {
        // both paths' connections: the handler chain's HTTP client and the forwarding connections' pool
        Gauge.builder("cutover.router.upstream.connections", proxy, p -> sum(p.getHttpClient(), count) + forwarded.getAsInt())
                .description("Pooled connections to the backend by state").tags("backend", backend, "state", state)
                .register(registry);
    }

    private static double sum(HttpClient client, ToIntFunction<AbstractConnectionPool> count) {
        if (client == null) {
            return 0;
        }
        int total = 0;
        for (Destination d : client.getDestinations()) {
            if (d.getConnectionPool() instanceof AbstractConnectionPool pool) {
                total += count.applyAsInt(pool);
            }
        }
        return total;
    }
}
