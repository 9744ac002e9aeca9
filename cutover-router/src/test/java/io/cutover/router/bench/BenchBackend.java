package io.cutover.router.bench;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The trivial backend of bench/router.sh: answers every request with a 13-byte body, without blocking, and
 * {@code /sessions/...} with a small JSON session (the session service of the session-on variant).
 * Only for benchmarking; not part of the product. Usage: BenchBackend PORT
 */
public final class BenchBackend {
    private static final byte[] BODY = "hello, world\n".getBytes(StandardCharsets.US_ASCII);
    /** What /sessions/{cookie} answers: the bench's session service, for the router's session-on variant. */
    private static final byte[] SESSION = "{\"sub\":\"bench-user\",\"shop_ids\":[7,42]}".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        threads.setName("bench-backend");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setHeaderCacheSize(0); // ~100 KB per connection otherwise: too much for the 5,000-connection hold
        ServerConnector c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        c.setHost("127.0.0.1");
        c.setPort(Integer.parseInt(args[0]));
        c.setAcceptQueueSize(4096);
        server.addConnector(c);
        server.setHandler(new Handler.Abstract(org.eclipse.jetty.util.thread.Invocable.InvocationType.NON_BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                boolean session = request.getHttpURI().getPath().startsWith("/sessions/");
                byte[] body = session ? SESSION : BODY;
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, session ? "application/json" : "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        System.out.println("backend listening " + c.getLocalPort());
        server.join();
    }
}
