package io.cutover.router.proxy;

import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.Promise;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;

/** A backend's client connector whose connections live on the router's {@link EventLoopConnector} selectors. */
final class BackendConnector extends ClientConnector {
    private final EventLoopConnector loop;

    BackendConnector(EventLoopConnector loop) {
        this.loop = loop;
    }

    @Override
    protected SelectorManager newSelectorManager() {
        return loop.getSelectorManager();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // the shared selectors belong to the server connector: it starts and stops them, not each backend
        unmanage(loop.getSelectorManager());
    }

    @Override
    public void connect(SocketAddress address, Map<String, Object> context) {
        loop.connecting(getConnectTimeout().toMillis(), () -> super.connect(address, context));
    }

    @Override
    protected void configure(SelectableChannel selectable) throws IOException {
        loop.backendChannel(selectable);
        super.configure(selectable);
    }

    @Override
    protected void connectFailed(SelectableChannel channel, SocketAddress address, Throwable failure, Map<String, Object> context) {
        loop.notBackendChannel(channel); // a connect that fails at once never reaches the selectors
        super.connectFailed(channel, address, failure, context);
    }

    /** Backend connections are plain TCP, on the event loop's end point (see {@link EventLoopEndPoint}). */
    @Override
    protected EndPoint newEndPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        return new EventLoopEndPoint((SocketChannel) channel, selector, key, getScheduler(), true);
    }

    EndPoint endPoint(SelectableChannel channel, ManagedSelector selector, SelectionKey key) {
        EndPoint endPoint = newEndPoint(channel, selector, key);
        endPoint.setIdleTimeout(getIdleTimeout().toMillis());
        return endPoint;
    }

    Connection connection(EndPoint endPoint, Object context) throws IOException {
        return newConnection(endPoint, context(context));
    }

    void opened(Connection connection, Object context, Runnable notifySelectors) {
        @SuppressWarnings("unchecked")
        Promise<Connection> promise = (Promise<Connection>) context(context).get(CONNECTION_PROMISE_CONTEXT_KEY);
        try {
            notifySelectors.run();
            promise.succeeded(connection);
        } catch (Throwable x) {
            promise.failed(x);
        }
    }

    void failed(SelectableChannel channel, Throwable failure, Object context) {
        Map<String, Object> c = context(context);
        connectFailed(channel, (SocketAddress) c.get(REMOTE_SOCKET_ADDRESS_CONTEXT_KEY), failure, c);
    }

    void acceptFailed(SelectableChannel channel, Throwable failure, Object context) {
        acceptFailed(failure, channel, context(context));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> context(Object context) {
        return (Map<String, Object>) context;
    }
}
