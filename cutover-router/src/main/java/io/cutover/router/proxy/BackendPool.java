package io.cutover.router.proxy;

import io.cutover.router.config.RouterSettings.BackendSpec;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The keep-alive connections of one backend used by {@link ForwardingConnection}s: at most {@code max_connections},
 * the most recently used handed out first (its socket and buffers are warm), and exchanges waiting in order when all
 * are busy. The connections live on the router's event loops ({@link EventLoopConnector}).
 */
public final class BackendPool extends ContainerLifeCycle {
    private final BackendSpec spec;
    private final String host;
    private final int port;
    private final String pathPrefix;
    private final boolean tls;
    private final int maxQueued;
    private final int maxResponseHead;
    private final BackendConnector connector;
    private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private int open; // connected or connecting
    private int active;
    private int connecting;

    /** @param maxQueued exchanges that may wait for a connection when all {@code max_connections} are busy */
    public BackendPool(BackendSpec spec, int maxQueued, int maxResponseHead, EventLoopConnector loop, Server server) {
        this.spec = spec;
        URI url = spec.url();
        this.tls = spec.tls();
        this.host = url.getHost();
        this.port = url.getPort() > 0 ? url.getPort() : 80;
        String path = url.getRawPath();
        this.pathPrefix = path == null || path.equals("/") ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.maxQueued = maxQueued;
        this.maxResponseHead = maxResponseHead;
        this.connector = new BackendConnector(loop);
        connector.setExecutor(server.getThreadPool());
        connector.setScheduler(server.getScheduler());
        connector.setByteBufferPool(server.getByteBufferPool());
        connector.setTCPNoDelay(true);
        connector.setConnectTimeout(spec.connectTimeout());
        connector.setIdleTimeout(idleTimeout());
        addBean(connector);
    }

    /** The backend's name. */
    public String name() {
        return spec.name();
    }

    /** The backend URL's path, without its last slash, put before each request's path. */
    /** Whether the backend is {@code https://} (then the handler chain carries its requests). */
    boolean tls() {
        return tls;
    }

    String pathPrefix() {
        return pathPrefix;
    }

    /** The largest response head a backend may send (limits.max_response_head). */
    int maxResponseHead() {
        return maxResponseHead;
    }

    /** How long a backend may stay silent during an answer ({@code timeout}). */
    long answerTimeoutMillis() {
        return spec.timeout().toMillis();
    }

    /** How long a pooled connection may sit unused, as in the handler chain's HTTP client. */
    Duration idleTimeout() {
        return Duration.ofMillis(Math.max(spec.timeout().toMillis(), 30_000));
    }

    /** Connections carrying an exchange now. */
    public synchronized int activeCount() {
        return active;
    }

    /** Connections waiting for an exchange. */
    public synchronized int idleCount() {
        return idle.size();
    }

    /** Connections being opened. */
    public synchronized int pendingCount() {
        return connecting;
    }

    /** Sends {@code exchange} on an idle connection, a new one, or the first one to come free. */
    void send(Exchange exchange) {
        send(exchange, false);
    }

    /** Sends {@code exchange} again, its pooled connection having been closed by the backend: never on an idle one. */
    void sendOnNewConnection(Exchange exchange) {
        send(exchange, true);
    }

    private void send(Exchange exchange, boolean newConnection) {
        BackendConnection connection = null;
        boolean connect = false;
        synchronized (this) {
            if (!newConnection) {
                connection = idle.pollFirst();
            }
            if (connection != null) {
                connection.active = true;
                active++;
            } else if (open < spec.maxConnections()) {
                open++;
                connecting++;
                connect = true;
            } else if (waiting.size() < maxQueued) {
                waiting.addLast(exchange);
                return;
            }
        }
        if (connection != null) {
            connection.send(exchange, true);
        } else if (connect) {
            connect(exchange);
        } else {
            exchange.client().exchangeFailed(exchange, new RejectedExecutionException(
                    maxQueued + " requests already wait for one of the " + spec.maxConnections() + " connections"));
        }
    }

    /** A connection finished an exchange and can carry another. */
    void release(BackendConnection connection) {
        connection.idle(); // ready to be taken by another event loop before it can be seen
        Exchange next;
        synchronized (this) {
            // looking for a waiter and going idle in one step: an exchange that queues meanwhile cannot be missed
            next = waiting.pollFirst();
            if (next == null) {
                if (connection.isOpen()) { // else it closed meanwhile, and closed() counts it
                    connection.active = false;
                    active--;
                    idle.addFirst(connection);
                }
                return;
            }
        }
        connection.send(next, true);
    }

    /** A connection closed; an exchange waiting for one gets a new connection in its place. */
    void closed(BackendConnection connection) {
        Exchange next = null;
        synchronized (this) {
            open--;
            if (connection.active) {
                connection.active = false;
                active--;
            } else {
                idle.remove(connection);
            }
            next = waiterToConnect();
        }
        if (next != null) {
            connect(next);
        }
    }

    /** With the lock held, once a connection is gone: the first waiting exchange, counted as connecting, or null. */
    private Exchange waiterToConnect() {
        if (waiting.isEmpty() || open >= spec.maxConnections()) {
            return null;
        }
        open++;
        connecting++;
        return waiting.pollFirst();
    }

    private void connect(Exchange exchange) {
        Map<String, Object> context = new HashMap<>();
        context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
        context.put(ClientConnectionFactory.CONTEXT_KEY, (ClientConnectionFactory) (endPoint, ctx) ->
                new BackendConnection(this, endPoint, connector.getExecutor(), connector.getByteBufferPool()));
        Promise<org.eclipse.jetty.io.Connection> promise = new Promise<>() {
            @Override
            public void succeeded(org.eclipse.jetty.io.Connection connection) {
                synchronized (BackendPool.this) {
                    connecting--;
                    active++;
                    ((BackendConnection) connection).active = true;
                }
                ((BackendConnection) connection).send(exchange, false);
            }

            @Override
            public void failed(Throwable failure) {
                Exchange next = null;
                synchronized (BackendPool.this) {
                    connecting--;
                    open--;
                    next = waiterToConnect();
                }
                exchange.client().exchangeFailed(exchange, failure);
                if (next != null) {
                    connect(next);
                }
            }
        };
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, promise);
        // name resolution may block: never on the event loop (a new connection is rare once the pool is warm)
        connector.getExecutor().execute(() -> {
            try {
                connector.connect(new InetSocketAddress(host, port), context);
            } catch (Throwable x) {
                promise.failed(x);
            }
        });
    }
}
