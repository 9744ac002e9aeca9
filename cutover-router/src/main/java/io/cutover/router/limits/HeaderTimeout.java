package io.cutover.router.limits;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection whose request head is not complete within the header timeout (slowloris: slow or
 * silent clients each hold a descriptor). A new connection's first head counts from the connect; a later head on
 * a kept-alive connection from when it began to arrive. A kept-alive connection waiting for its next request is
 * bounded by the idle timeout instead, and a request body may take as long as it needs.
 *
 * <p>A sweep every tenth of the timeout (at most once a second) looks at the parser of every client connection,
 * so the request path itself pays nothing; a head is closed between one and about 1.2 timeouts after it began.
 */
public final class HeaderTimeout extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderTimeout.class);

    private final long timeoutMillis;
    private final long periodMillis;
    private final AbstractConnector connector;
    private final Scheduler scheduler;
    /** Heads seen under way at the last sweep, by connection; only the sweep touches it. */
    private Map<EndPoint, Head> underWay = new HashMap<>();
    private volatile Scheduler.Task next;

    /** A head under way: the requests the connection had completed before it, and since when it is known. */
    private record Head(long requestsBefore, long sinceMillis) {
    }

    public HeaderTimeout(Duration timeout, AbstractConnector connector, Scheduler scheduler) {
        this.timeoutMillis = timeout.toMillis();
        this.periodMillis = Math.max(10, Math.min(1000, timeoutMillis / 10));
        this.connector = connector;
        this.scheduler = scheduler;
    }

    @Override
    protected void doStart() {
        if (timeoutMillis > 0) {
            next = scheduler.schedule(this::sweep, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void doStop() {
        Scheduler.Task t = next;
        if (t != null) {
            t.cancel();
        }
    }

    private void sweep() {
        try {
            long now = System.currentTimeMillis();
            Map<EndPoint, Head> seen = new HashMap<>();
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                Head head = null;
                if (endPoint.getConnection() instanceof HttpConnection connection) {
                    head = headUnderWay(endPoint, connection, now);
                } else if (endPoint.getConnection() instanceof HeadWatch connection) {
                    head = headUnderWay(endPoint, connection, now);
                } else if (endPoint.getConnection() instanceof SslConnection tls) {
                    head = underTls(endPoint, tls, now);
                }
                if (head == null) {
                    continue;
                }
                if (now - head.sinceMillis() >= timeoutMillis) {
                    LOG.debug("closing {}: no complete request head within {} ms", endPoint.getRemoteSocketAddress(), timeoutMillis);
                    endPoint.close();
                } else {
                    seen.put(endPoint, head);
                }
            }
            underWay = seen;
        } catch (RuntimeException e) {
            LOG.warn("header timeout sweep failed: {}", e.toString()); // the next sweep still runs
        } finally {
            if (isRunning()) {
                next = scheduler.schedule(this::sweep, periodMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The head {@code connection} is waiting for the rest of, or null when it is not inside one. */
    private Head headUnderWay(EndPoint endPoint, HttpConnection connection, long now) {
        HttpParser parser = connection.getParser(); // its state is volatile: safe to read from this thread
        long requests = connection.getMessagesIn(); // counts heads completed
        if (requests == 0) {
            // nothing complete since the connect, silent or not: the first head counts from the connect, or from
            // when a forwarding connection handed this one its first request
            return parser.inHeaderState() ? new Head(0, Math.max(endPoint.getCreatedTimeStamp(), connection.getCreatedTimeStamp())) : null;
        }
        if (!parser.inHeaderState() || parser.isStart()) {
            return null; // handling a request, reading its body, or idle between requests
        }
        return laterHead(endPoint, requests, now);
    }

    /**
     * The same on the TLS listener: HTTP/1.1 inside TLS is judged like plain HTTP/1.1; a connection still in its TLS
     * handshake or protocol negotiation has sent no complete head yet, so it counts from the connect. HTTP/2 has
     * its own flow control and is left to the idle timeout.
     */
    private Head underTls(EndPoint endPoint, SslConnection tls, long now) {
        org.eclipse.jetty.io.Connection inner = tls.getSslEndPoint().getConnection();
        if (inner instanceof HttpConnection connection) {
            return headUnderWay(endPoint, connection, now);
        }
        if (inner instanceof org.eclipse.jetty.http2.HTTP2Connection) {
            return null;
        }
        return new Head(0, endPoint.getCreatedTimeStamp());
    }

    /** The same for a connection that forwards requests itself. */
    private Head headUnderWay(EndPoint endPoint, HeadWatch connection, long now) {
        long requests = connection.completedHeads();
        if (requests == 0) {
            return new Head(0, endPoint.getCreatedTimeStamp());
        }
        if (!connection.headUnderWay()) {
            return null;
        }
        return laterHead(endPoint, requests, now);
    }

    /** A head under way after {@code requests} complete ones: the one seen at the last sweep, or one from now. */
    private Head laterHead(EndPoint endPoint, long requests, long now) {
        Head before = underWay.get(endPoint);
        return before != null && before.requestsBefore() == requests ? before : new Head(requests, now);
    }
}
