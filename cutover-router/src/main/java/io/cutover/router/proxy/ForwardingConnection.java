package io.cutover.router.proxy;

import io.cutover.router.limits.HeadWatch;
import io.cutover.router.route.RouteTable;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * A client connection that forwards plain requests straight to a pooled backend connection: it parses the request
 * head, writes it on with the hop-by-hop headers dropped and the {@code X-Forwarded-*} ones added, and the
 * {@link BackendConnection} streams the answer back. This is what a proxy does for nearly every request, in a
 * fraction of the work of the handler chain and Jetty's HTTP client.
 *
 * <p>Any request it does not handle (a body, {@code Expect}, {@code Upgrade}, HTTP/1.0, an encoded or dotted path, a
 * session backend, a bad head, a server shutting down) makes it hand itself over, with the
 * request's bytes, to Jetty's HTTP/1.1 connection, which serves this connection from then on.
 */
final class ForwardingConnection extends AbstractConnection implements Connection.UpgradeFrom, HeadWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardingConnection.class);

    private final ForwardingConnectionFactory forwarding;
    private final Connector connector;
    private final HttpParser parser;
    private final RequestHead head = new RequestHead();
    private RetainableByteBuffer buffer;
    private final String remoteAddress;
    /** The exchange under way; only its backend connection touches this connection until it ends. */
    private volatile Exchange exchange;
    /** Where the request being parsed starts in the buffer. */
    private int requestStart;
    private int requestEnd;
    private volatile long headsDone;
    private volatile boolean inHead;

    ForwardingConnection(ForwardingConnectionFactory forwarding, Connector connector, EndPoint endPoint) {
        super(endPoint, connector.getExecutor());
        this.forwarding = forwarding;
        this.connector = connector;
        this.parser = new HttpParser(head, forwarding.http.getHttpConfiguration().getRequestHeaderSize(),
                forwarding.http.getHttpConfiguration().getHttpCompliance());
        this.parser.setHeaderCacheSize(0); // ~100 KB a connection otherwise, as in Router
        this.remoteAddress = endPoint.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress().getHostAddress() : "unknown";
        setInputBufferSize(forwarding.getInputBufferSize());
    }

    /** Runs on the event loop that selected the connection: nothing here blocks. */
    private final Callback readable = new NonBlockingCallback() {
        @Override
        public void succeeded() {
            onFillable();
        }

        @Override
        public void failed(Throwable x) {
            onFillInterestedFailed(x);
        }
    };

    @Override
    public void onOpen() {
        super.onOpen();
        fillInterested(readable);
    }

    @Override
    public void onFillable() {
        serve();
    }

    /** Reads and forwards requests until there is nothing to read, an exchange is under way, or Jetty takes over. */
    private void serve() {
        while (exchange == null) {
            if (buffer == null) {
                buffer = connector.getByteBufferPool().acquire(getInputBufferSize(), true);
            }
            ByteBuffer in = buffer.getByteBuffer();
            if (in.hasRemaining()) {
                int start = in.position();
                int end = in.limit();
                requestStart = start;
                requestEnd = end;
                Decision d = parse(in);
                if (d == Decision.FORWARD) {
                    forward();
                    return; // the exchange reads the next request when it ends (it may have ended already)
                }
                in.limit(end).position(start); // a bad message makes the parser clear the buffer
                if (d == Decision.HAND_OVER) {
                    handOver();
                    return;
                }
                // MORE: parse the head again, whole, once more bytes are in
                inHead = true;
                if (BufferUtil.space(in) == 0) {
                    if (start == 0) {
                        handOver(); // a head larger than the buffer: Jetty answers 431
                        return;
                    }
                    BufferUtil.compact(in);
                }
            }
            int filled;
            try {
                filled = getEndPoint().fill(in);
            } catch (IOException e) {
                LOG.debug("client read failed", e);
                getEndPoint().close(e);
                return;
            }
            if (filled == 0) {
                if (!in.hasRemaining()) {
                    releaseBuffer(); // idle keep-alive connections hold no buffer
                }
                fillInterested(readable);
                return;
            }
            if (filled < 0) {
                getEndPoint().close();
                return;
            }
        }
    }

    private enum Decision { FORWARD, HAND_OVER, MORE }

    private Decision parse(ByteBuffer in) {
        head.clear();
        parser.reset();
        parser.parseNext(in);
        if (head.complete && head.forwardable) {
            return Decision.FORWARD;
        }
        return head.started && !head.headerDone && !head.bad ? Decision.MORE : Decision.HAND_OVER;
    }

    private void forward() {
        inHead = false;
        headsDone++;
        RouteTable.Selection sel = head.selection;
        BackendPool pool = forwarding.pools.get(sel.backend());
        if (!forwarding.inflight.tryAcquire()) {
            reject(sel, System.nanoTime());
            return;
        }
        if (!forwarding.exchangeBegins()) {
            forwarding.inflight.release();
            rewindAndHandOver();
            return;
        }
        exchange = new Exchange(this, sel, pool, head.method.equals("HEAD"), head.idempotent(), System.nanoTime(),
                requestHead(pool));
        pool.send(exchange);
    }

    /** The request was parsed but is not forwarded after all: Jetty parses it again from its first byte. */
    private void rewindAndHandOver() {
        buffer.getByteBuffer().limit(requestEnd).position(requestStart);
        handOver();
    }

    private void handOver() {
        inHead = false;
        Connection http = forwarding.http.newConnection(connector, getEndPoint());
        getEndPoint().upgrade(http);
    }

    /** The bytes Jetty's connection starts from (a copy: our pooled buffer goes back now). */
    @Override
    public ByteBuffer onUpgradeFrom() {
        ByteBuffer rest = null;
        if (buffer != null && buffer.getByteBuffer().hasRemaining()) {
            ByteBuffer in = buffer.getByteBuffer();
            rest = ByteBuffer.allocate(in.remaining());
            rest.put(in).flip();
        }
        releaseBuffer();
        return rest;
    }

    private void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    /** The head sent to the backend; the parsed fields are printable ASCII (checked while parsing). */
    private ByteBuffer requestHead(BackendPool pool) {
        StringBuilder s = new StringBuilder(256);
        s.append(head.method).append(' ').append(pool.pathPrefix()).append(head.target).append(" HTTP/1.1\r\n");
        String host = null;
        String priorFor = null;
        for (HttpField f : head.fields) {
            HttpHeader h = f.getHeader();
            if (h == HttpHeader.HOST) {
                host = f.getValue();
            } else if (h == HttpHeader.X_FORWARDED_FOR) {
                priorFor = priorFor == null ? f.getValue() : priorFor + ", " + f.getValue();
            }
            if (!HopByHop.dropFromRequest(f, forwarding.tokenHeader, head.connectionListed)) {
                s.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
            }
        }
        s.append("X-Forwarded-For: ").append(priorFor == null ? remoteAddress : priorFor + ", " + remoteAddress).append("\r\n");
        s.append("X-Forwarded-Proto: http\r\n");
        if (host != null) {
            s.append("X-Forwarded-Host: ").append(host).append("\r\n");
        }
        s.append("\r\n");
        return ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    // ---- called by the exchange's backend connection -------------------------------------------------------------

    /** Writes part of the answer to the client. */
    void write(Callback callback, ByteBuffer... buffers) {
        getEndPoint().write(callback, buffers);
    }

    /** The answer is complete: count it and read the next request (or close, when the answer was close-delimited). */
    void exchangeDone(Exchange done, int status, boolean keepAlive) {
        end(done, status);
        if (!keepAlive) {
            getEndPoint().shutdownOutput();
            getEndPoint().close();
            return;
        }
        if (!getEndPoint().isOpen()) {
            return;
        }
        if (buffer != null && buffer.getByteBuffer().hasRemaining()) {
            serve(); // a pipelined request is in already
        } else {
            // the client sends its next request only now that it has this answer: reading at once would find
            // nothing (a wasted system call); wait for the selector instead
            releaseBuffer();
            fillInterested(readable);
        }
    }

    /** The backend failed before the status line: the client gets the router's own 502 or 504. */
    void exchangeFailed(Exchange failed, Throwable failure) {
        BackendFailure answer = BackendFailure.of(failed.selection().route(), failed.pool().name(), failure);
        LOG.debug("{}", answer.body(), failure);
        String status = answer.status() == 504 ? "504 Gateway Timeout" : "502 Bad Gateway";
        writeOwnAnswer(status, "", answer.body(), failed.head(), () -> exchangeDone(failed, answer.status(), true), x -> {
            end(failed, answer.status());
            getEndPoint().close(x);
        });
    }

    /** At max_inflight: 503 with Retry-After at once, as the handler chain answers, and the connection goes on. */
    private void reject(RouteTable.Selection sel, long startNanos) {
        boolean head = this.head.method.equals("HEAD");
        writeOwnAnswer("503 Service Unavailable", "Retry-After: " + forwarding.inflight.retryAfterSeconds() + "\r\n",
                forwarding.inflight.rejection(), head, () -> {
                    forwarding.metrics.record(sel, 503, startNanos);
                    serve();
                }, x -> getEndPoint().close(x));
    }

    /** The router's own short text/plain answer ({@code extraHeaders} ends each header with CRLF). */
    private void writeOwnAnswer(String status, String extraHeaders, String text, boolean head, Runnable then,
                                java.util.function.Consumer<Throwable> failed) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] statusHead = ("HTTP/1.1 " + status + "\r\n" + extraHeaders + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        getEndPoint().write(Callback.from(then, failed), ByteBuffer.wrap(statusHead), ByteBuffer.wrap(head ? new byte[0] : body));
    }

    /** The answer broke after its status line went out: all the client can be told is a cut connection. */
    void exchangeAborted(Exchange aborted, int status, Throwable failure) {
        end(aborted, status);
        getEndPoint().close(failure);
    }

    private void end(Exchange done, int status) {
        if (!done.end()) {
            return; // ended already
        }
        if (exchange == done) {
            exchange = null;
        }
        forwarding.metrics.record(done.selection(), status, done.startNanos());
        forwarding.inflight.release();
        forwarding.exchangeEnds();
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        // while an answer is under way the backend's own timeout applies, as in the handler chain
        return exchange == null && super.onIdleExpired(timeout);
    }

    @Override
    public void onClose(Throwable cause) {
        Exchange e = exchange;
        if (e != null) {
            e.clientClosed(cause); // the backend connection is mid-answer: it cannot be reused
            end(e, e.status() >= 200 ? e.status() : 500);
        }
        releaseBuffer();
        super.onClose(cause);
    }

    @Override
    public long completedHeads() {
        return headsDone;
    }

    @Override
    public boolean headUnderWay() {
        return inHead;
    }

    /** What the parser saw of one request, and whether it may be forwarded here. */
    private final class RequestHead implements HttpParser.RequestHandler {
        String method;
        String target;
        final List<HttpField> fields = new ArrayList<>(16);
        List<String> connectionListed;
        RouteTable.Selection selection;
        boolean started;
        boolean headerDone;
        boolean complete;
        boolean forwardable;
        boolean bad;

        void clear() {
            method = null;
            target = null;
            fields.clear();
            connectionListed = null;
            selection = null;
            started = headerDone = complete = forwardable = bad = false;
        }

        boolean idempotent() {
            return method.equals("GET") || method.equals("HEAD");
        }

        @Override
        public void startRequest(String method, String uri, HttpVersion version) {
            started = true;
            this.method = method;
            this.target = uri;
            forwardable = version == HttpVersion.HTTP_1_1 && plainTarget(uri);
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields.add(field);
            if (!forwardable) {
                return;
            }
            HttpHeader h = field.getHeader();
            String value = field.getValue();
            if (h == HttpHeader.CONTENT_LENGTH) {
                forwardable = "0".equals(value);
            } else if (h == HttpHeader.TRANSFER_ENCODING || h == HttpHeader.EXPECT || h == HttpHeader.UPGRADE) {
                forwardable = false;
            } else if (h == HttpHeader.CONNECTION) {
                for (String token : value.split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (t.equals("close") || t.equals("upgrade")) {
                        forwardable = false; // Jetty's connection does the closing and refusing
                    } else if (!t.isEmpty() && !t.equals("keep-alive")) {
                        if (connectionListed == null) {
                            connectionListed = new ArrayList<>(2);
                        }
                        connectionListed.add(t);
                    }
                }
            }
            if (forwardable && !(ascii(field.getName()) && ascii(value))) {
                forwardable = false;
            }
        }

        @Override
        public boolean headerComplete() {
            headerDone = true;
            if (forwardable) {
                int q = target.indexOf('?');
                selection = forwarding.routes.select(q < 0 ? target : target.substring(0, q));
                forwardable = !forwarding.sessionBackends.contains(selection.backend());
            }
            return !forwardable; // stop here when handing over: Jetty parses from the start
        }

        @Override
        public boolean content(ByteBuffer item) {
            forwardable = false; // a body: the handler chain streams it
            return true;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            complete = true;
            return true;
        }

        @Override
        public void earlyEOF() {
            bad = true;
        }

        @Override
        public void badMessage(org.eclipse.jetty.http.HttpException failure) {
            bad = true;
        }
    }

    /** An origin-form target the handler chain would route the same way: no escapes, no dot or empty segments. */
    static boolean plainTarget(String uri) {
        int n = uri.length();
        if (n == 0 || uri.charAt(0) != '/') {
            return false;
        }
        int q = uri.indexOf('?');
        int pathEnd = q < 0 ? n : q;
        for (int i = 0; i < n; i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#' || c == '\\') {
                return false;
            }
            if (i < pathEnd && (c == '%' || c == ';' || (c == '/' && i + 1 < pathEnd && (uri.charAt(i + 1) == '/' || uri.charAt(i + 1) == '.')))) {
                return false;
            }
        }
        return true;
    }

    /** Printable ASCII: anything else may have been decoded by the parser, and the handler chain re-encodes it. */
    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x7f || (c < 0x20 && c != '\t')) {
                return false;
            }
        }
        return true;
    }
}
