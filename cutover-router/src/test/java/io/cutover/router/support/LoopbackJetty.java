package io.cutover.router.support;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A started Jetty server on 127.0.0.1 and a free port, every request handled by {@code handler}: the test backends' server. */
record LoopbackJetty(Server server, ServerConnector connector) implements AutoCloseable {

    /** Handles one request (see Jetty's {@link Request.Handler}); answering is the handler's job. */
    @FunctionalInterface
    interface Serve {
        void serve(Request request, Response response, Callback callback) throws Exception;
    }

    /** Starts it with a pool of {@code minThreads}…{@code maxThreads} threads named {@code name}. */
    static LoopbackJetty start(String name, int maxThreads, int minThreads, Serve serve) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, minThreads);
        threads.setName(name);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve.serve(request, response, callback);
                return true;
            }
        });
        server.start();
        return new LoopbackJetty(server, connector);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
