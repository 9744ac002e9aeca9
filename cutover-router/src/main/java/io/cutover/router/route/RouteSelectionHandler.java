package io.cutover.router.route;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Decides the route of each request and records it as a request attribute for the handlers inside. */
public final class RouteSelectionHandler extends Handler.Wrapper {
    private static final String ATTRIBUTE = RouteSelectionHandler.class.getName() + ".selection";

    private final RouteTable table;

    public RouteSelectionHandler(RouteTable table, Handler next) {
        super(next);
        this.table = table;
    }

    /** The selection made for {@code request}. */
    public static RouteTable.Selection selection(Request request) {
        return (RouteTable.Selection) request.getAttribute(ATTRIBUTE);
    }

    private RouteTable.Selection select(Request request) {
        String path = request.getHttpURI().getPath();
        if (path == null || path.equals("*")) {
            return table.fallback(); // OPTIONS *
        }
        return table.select(RequestTarget.routingPath(path));
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        request.setAttribute(ATTRIBUTE, select(request));
        return super.handle(request, response, callback);
    }
}
