package io.cutover.router.proxy;

import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The router's listening connector, whose selectors also carry the connections to the backends
 * ({@link BackendConnector}). A proxied request then lives on one event loop from the client's bytes to the
 * backend's answer, like an nginx worker: no hand-off between a server and a client selector thread, and
 * none of the selector wake-ups (a system call and a context switch each) such a hand-off costs.
 */
public final class EventLoopConnector extends ServerConnector {
    /** Backend channels: the server's accept listeners (connection limit, counts) must not see them. */
    private final Set<SelectableChannel> backendChannels = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Long> connectTimeout = new ThreadLocal<>();

    /** @param selectors event loops, or -1 for Jetty's default (half the cores); connections are accepted on them too */
    public EventLoopConnector(Server server, int selectors, ConnectionFactory... factories) {
        super(server, null, null, null, 0, selectors, factories);
    }

    /** Client connections get the event loop's end point too (see {@link EventLoopEndPoint}). */
    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        EventLoopEndPoint endPoint = new EventLoopEndPoint(channel, selector, key, getScheduler(), false);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    @Override
    protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
        return new SharedManager(executor, scheduler, selectors);
    }

    /**
     * Closes the listening socket now, so new connections are refused. The selectors accept, and a channel registered
     * with a selector is only really closed at that selector's next select: each is woken to do it.
     */
    public void closeListener() {
        setAccepting(false);
        if (getTransport() instanceof java.nio.channels.ServerSocketChannel channel) {
            IO.close(channel); // close() leaves it open when the selectors accept
        }
        SelectorManager manager = getSelectorManager();
        if (manager != null) {
            for (ManagedSelector selector : manager.getBeans(ManagedSelector.class)) {
                selector.submit(s -> { }); // after the cancelled accept key: the select that follows drops it
            }
        }
    }

    void backendChannel(SelectableChannel channel) {
        backendChannels.add(channel);
    }

    void notBackendChannel(SelectableChannel channel) {
        if (channel != null) {
            backendChannels.remove(channel);
        }
    }

    /** Runs a backend connect with that backend's connect timeout (the selectors have one setting for all). */
    void connecting(long timeoutMillis, Runnable connect) {
        connectTimeout.set(timeoutMillis);
        try {
            connect.run();
        } finally {
            connectTimeout.remove();
        }
    }

    private boolean isBackend(SelectableChannel channel) {
        return channel != null && backendChannels.contains(channel);
    }

    private static BackendConnector backend(Object attachment) {
        if (attachment instanceof Map<?, ?> context && context.get(ClientConnector.CONTEXT_KEY) instanceof BackendConnector b) {
            return b;
        }
        return null;
    }

    private final class SharedManager extends ServerConnectorManager {
        SharedManager(Executor executor, Scheduler scheduler, int selectors) {
            super(executor, scheduler, selectors);
        }

        @Override
        public long getConnectTimeout() {
            Long t = connectTimeout.get();
            return t == null ? super.getConnectTimeout() : t;
        }

        @Override
        protected SocketChannelEndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) throws IOException {
            BackendConnector b = backend(key.attachment());
            // backends are plain TCP (http://host:port), whose end points are socket channel ones
            return b == null ? super.newEndPoint(channel, selector, key) : (SocketChannelEndPoint) b.endPoint(channel, selector, key);
        }

        @Override
        public Connection newConnection(SelectableChannel channel, EndPoint endPoint, Object attachment) throws IOException {
            BackendConnector b = backend(attachment);
            return b == null ? super.newConnection(channel, endPoint, attachment) : b.connection(endPoint, attachment);
        }

        @Override
        public void connectionOpened(Connection connection, Object context) {
            BackendConnector b = backend(context);
            if (b == null) {
                super.connectionOpened(connection, context);
            } else {
                b.opened(connection, context, () -> super.connectionOpened(connection, context));
            }
        }

        @Override
        protected void connectionFailed(SelectableChannel channel, Throwable failure, Object attachment) {
            super.connectionFailed(channel, failure, attachment);
            backendChannels.remove(channel);
            BackendConnector b = backend(attachment);
            if (b != null) {
                b.failed(channel, failure, attachment);
            }
        }

        @Override
        protected void onAcceptFailed(SelectableChannel channel, Throwable failure, Object attachment) {
            BackendConnector b = backend(attachment);
            if (b == null) {
                super.onAcceptFailed(channel, failure, attachment);
            } else {
                backendChannels.remove(channel);
                b.acceptFailed(channel, failure, attachment);
            }
        }

        @Override
        protected void onAccepting(SelectableChannel channel) {
            if (!isBackend(channel)) {
                super.onAccepting(channel);
            }
        }

        @Override
        protected void onAccepted(SelectableChannel channel) {
            if (!isBackend(channel)) {
                super.onAccepted(channel);
            }
        }

        @Override
        protected void onAcceptFailed(SelectableChannel channel, Throwable failure) {
            if (!isBackend(channel)) {
                super.onAcceptFailed(channel, failure);
            }
        }

        @Override
        protected void endPointOpened(EndPoint endPoint) {
            if (!isBackend(channelOf(endPoint))) {
                super.endPointOpened(endPoint);
            }
        }

        @Override
        protected void endPointClosed(EndPoint endPoint) {
            SelectableChannel channel = channelOf(endPoint);
            if (!backendChannels.remove(channel)) {
                super.endPointClosed(endPoint);
            }
        }

        private SelectableChannel channelOf(EndPoint endPoint) {
            return endPoint.getTransport() instanceof SelectableChannel c ? c : null;
        }
    }
}
