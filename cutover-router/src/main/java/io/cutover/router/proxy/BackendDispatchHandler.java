package io.cutover.router.proxy;

import io.cutover.router.route.RouteSelectionHandler;
import io.cutover.router.route.RouteTable;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.List;
import java.util.Map;

/** Hands each request to the proxy of the backend its route selected. */
public final class BackendDispatchHandler extends Handler.AbstractContainer {
    private final Map<String, BackendProxy> proxies;

    public BackendDispatchHandler(Map<String, BackendProxy> proxies) {
        super(false); // the proxies are fixed: a static container may report them as non-blocking
        this.proxies = Map.copyOf(proxies);
        this.proxies.values().forEach(this::addBean);
    }

    /** The proxies by backend name. */
    public Map<String, BackendProxy> proxies() {
        return proxies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RouteTable.Selection sel = RouteSelectionHandler.selection(request);
        BackendProxy proxy = proxies.get(sel.backend());
        return proxy.handle(request, response, callback);
    }

    /** Non-blocking like the proxies, so Jetty runs requests on the event loop instead of dispatching them. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public List<Handler> getHandlers() {
        return List.copyOf(proxies.values());
    }
}
