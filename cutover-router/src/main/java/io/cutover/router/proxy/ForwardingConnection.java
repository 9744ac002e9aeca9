package io.cutover.router.proxy;

import io.cutover.router.http.OwnAnswer;
import io.cutover.router.limits.HeadWatch;
import io.cutover.router.route.RequestTarget;
import io.cutover.router.route.RouteTable;
import io.cutover.router.session.SessionTokens;
import io.cutover.router.shadow.Shadow;
import io.cutover.router.shadow.ShadowCapture;
import io.cutover.router.shadow.ShadowRequest;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * A client connection that forwards plain requests straight to a pooled backend connection: it parses the request
 * head, writes it on with the hop-by-hop headers dropped and the {@code X-Forwarded-*} ones added, and the
 * {@link BackendConnection} streams the answer back. This is what a proxy does for nearly every request, in a
 * fraction of the work of the handler chain and Jetty's HTTP client.
 *
 * <p>The request target goes on as the client sent it, byte for byte ({@link RequestTarget}). A head that is not HTTP
 * or too large gets the router's own 400 or 431 here. A backend in {@code session.for} gets its token as one more
 * header ({@link SessionTokens}); an {@code Upgrade} answered 101 becomes an {@link UpgradeTunnel}. Any other request it does not handle (a body, {@code Expect},
 * HTTP/1.0, {@code Connection: close}, a server shutting down) makes it hand itself over, with the
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
    private final boolean fromTrustedProxy;
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
        java.net.InetAddress peer = endPoint.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress() : null;
        this.remoteAddress = peer == null ? "unknown" : peer.getHostAddress();
        this.fromTrustedProxy = forwarding.forwarded.trusts(peer);
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
                    if (head.bad) {
                        refuse(head.badStatus == 431 ? OwnAnswer.HEAD_TOO_LARGE : OwnAnswer.BAD_REQUEST);
                    } else {
                        handOver();
                    }
                    return;
                }
                // MORE: parse the head again, whole, once more bytes are in
                inHead = true;
                if (BufferUtil.space(in) == 0) {
                    if (start == 0) {
                        refuse(OwnAnswer.HEAD_TOO_LARGE); // the buffer is max_request_head long
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
        Exchange e = new Exchange(this, sel, pool, head.method.equals("HEAD"), head.idempotent(), head.upgrade(),
                System.nanoTime());
        exchange = e;
        Shadow shadow = forwarding.shadows.of(sel.route());
        if (shadow != null && !head.upgrade() && shadow.wants(head.method)) {
            e.capture(new ShadowCapture(shadow, shadowRequest()));
        }
        SessionTokens session = forwarding.session;
        if (session == null || !session.forBackends().contains(sel.backend())) {
            send(e, null);
            return;
        }
        CompletableFuture<SessionTokens.Outcome> outcome = session.outcome(head.fields);
        if (outcome.isDone()) {
            send(e, outcome.join()); // a cached cookie: its token is one more header
        } else {
            outcome.thenAccept(o -> send(e, o)); // nothing more is read from the client until the exchange ends
        }
    }

    /** Sends the exchange's head, with the session token when {@code outcome} has one; or the session's 503. */
    private void send(Exchange e, SessionTokens.Outcome outcome) {
        if (e.ended()) {
            return; // the client went away meanwhile
        }
        if (outcome instanceof SessionTokens.Outcome.Reject) {
            forwarding.answers.count(OwnAnswer.SESSION_UNAVAILABLE);
            writeOwnAnswer(OwnAnswer.SESSION_UNAVAILABLE.statusLine(), "", OwnAnswer.SESSION_UNAVAILABLE.body(), e.head(),
                    () -> exchangeDone(e, 503, true), x -> {
                        end(e, 503);
                        getEndPoint().close(x);
                    });
            return;
        }
        e.requestHead(requestHead(e.pool(), outcome instanceof SessionTokens.Outcome.Token t ? t.token() : null));
        e.pool().send(e);
    }

    /** The request as a shadow gets it: the target as sent, the end-to-end headers (a forwarded request has no body). */
    private ShadowRequest shadowRequest() {
        List<Map.Entry<String, String>> fields = new ArrayList<>(head.fields.size());
        String host = head.target.authority();
        if (host != null) {
            fields.add(Map.entry("Host", host));
        }
        for (HttpField f : head.fields) {
            if (!(f.getHeader() == HttpHeader.HOST && host != null)
                    && !HopByHop.dropFromRequest(f, forwarding.tokenHeader, head.connectionListed)) {
                fields.add(Map.entry(f.getName(), f.getValue()));
            }
        }
        return new ShadowRequest(head.method, head.target.forwardedUnder(""), fields, null);
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

    /**
     * The head sent to the backend: the target's bytes as they came (one char a byte), the fields printable ASCII
     * (checked while parsing). An absolute-form target's authority replaces the Host header (RFC 9112 §3.2.2).
     */
    private ByteBuffer requestHead(BackendPool pool, String token) {
        StringBuilder s = new StringBuilder(256);
        s.append(head.method).append(' ').append(head.target.forwardedUnder(pool.pathPrefix())).append(" HTTP/1.1\r\n");
        String host = head.target.authority();
        if (host != null) {
            s.append("Host: ").append(host).append("\r\n");
        }
        for (HttpField f : head.fields) {
            if (f.getHeader() == HttpHeader.HOST && host != null) {
                continue;
            }
            if (!HopByHop.dropFromRequest(f, forwarding.tokenHeader, head.connectionListed)) {
                s.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
            }
        }
        List<HttpField> seen = head.fields;
        if (host != null) {
            seen = new ArrayList<>(head.fields);
            seen.removeIf(f -> f.getHeader() == HttpHeader.HOST);
            seen.add(new HttpField(HttpHeader.HOST, host));
        }
        forwarding.forwarded.write(seen, remoteAddress, fromTrustedProxy, "http",
                (name, value) -> s.append(name).append(": ").append(value).append("\r\n"));
        if (token != null) {
            s.append(forwarding.session.header()).append(": ").append(token).append("\r\n");
        }
        if (head.upgrade()) {
            // hop-by-hop, but the protocol switch is asked of the backend: they go on, and the answer decides
            for (HttpField f : head.fields) {
                if (f.getHeader() == HttpHeader.UPGRADE) {
                    s.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
                }
            }
            s.append("Connection: upgrade\r\n");
        }
        s.append("\r\n");
        return ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    // ---- called by the exchange's backend connection -------------------------------------------------------------

    /** How long a tunnel may carry nothing before it is closed: the client idle timeout. */
    long tunnelIdleTimeoutMillis() {
        return getEndPoint().getIdleTimeout();
    }

    /** The backend's 101 went out: bytes now flow both ways untouched, the exchange under way until the tunnel closes. */
    void tunnelStarts(Exchange e, EndPoint backend) {
        if (exchange != e) {
            return; // ended meanwhile
        }
        e.tunnelStarted();
        forwarding.tunnelOpened();
        ByteBuffer early = null;
        if (buffer != null && buffer.getByteBuffer().hasRemaining()) {
            ByteBuffer in = buffer.getByteBuffer();
            early = ByteBuffer.allocate(in.remaining());
            early.put(in).flip(); // sent after the request head, before the 101: the new protocol's first bytes
        }
        releaseBuffer();
        UpgradeTunnel.start(getEndPoint(), backend, early);
    }

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
        forwarding.answers.count(answer.answer());
        writeOwnAnswer(answer.answer().statusLine(), "", answer.body(), failed.head(), () -> exchangeDone(failed, answer.status(), true), x -> {
            end(failed, answer.status());
            getEndPoint().close(x);
        });
    }

    /** At max_inflight: 503 with Retry-After at once, as the handler chain answers, and the connection goes on. */
    private void reject(RouteTable.Selection sel, long startNanos) {
        boolean head = this.head.method.equals("HEAD");
        forwarding.answers.count(OwnAnswer.MAX_INFLIGHT);
        writeOwnAnswer(OwnAnswer.MAX_INFLIGHT.statusLine(), "Retry-After: " + forwarding.inflight.retryAfterSeconds() + "\r\n",
                forwarding.inflight.rejection(), head, () -> {
                    forwarding.metrics.record(sel, 503, startNanos);
                    serve();
                }, x -> getEndPoint().close(x));
    }

    /** A request head the router will not pass on: its own answer, and the connection closes (it cannot be re-synchronised). */
    private void refuse(OwnAnswer answer) {
        inHead = false;
        forwarding.answers.count(answer);
        releaseBuffer();
        writeOwnAnswer(answer.statusLine(), "Connection: close\r\n", answer.body(), false, () -> {
            getEndPoint().shutdownOutput();
            discardUntilClosed();
        }, x -> getEndPoint().close(x));
    }

    /**
     * Reads and drops what the client still sends, until it closes (or the idle timeout): closing with unread bytes
     * would reset the connection, and the client could lose the answer just written.
     */
    private void discardUntilClosed() {
        ByteBuffer sink = BufferUtil.allocate(4096);
        try {
            while (true) {
                BufferUtil.clear(sink);
                int n = getEndPoint().fill(sink);
                if (n < 0) {
                    getEndPoint().close();
                    return;
                }
                if (n == 0) {
                    fillInterested(Callback.from(this::discardUntilClosed, x -> getEndPoint().close(x)));
                    return;
                }
            }
        } catch (IOException x) {
            getEndPoint().close(x);
        }
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
        if (done.tunnelled()) {
            forwarding.tunnelClosed();
        }
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
            end(e, e.status() >= 200 || e.tunnelled() ? e.status() : 500); // a tunnel ends by a close
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
        RequestTarget target;
        final List<HttpField> fields = new ArrayList<>(16);
        List<String> connectionListed;
        RouteTable.Selection selection;
        boolean upgradeHeader;
        boolean connectionUpgrade;
        boolean started;
        boolean headerDone;
        boolean complete;
        boolean forwardable;
        boolean bad;
        int badStatus;

        void clear() {
            method = null;
            target = null;
            fields.clear();
            connectionListed = null;
            selection = null;
            upgradeHeader = connectionUpgrade = false;
            started = headerDone = complete = forwardable = bad = false;
        }

        /** A protocol switch asked for as RFC 9110 §7.8 says: {@code Upgrade}, named in {@code Connection}. */
        boolean upgrade() {
            return upgradeHeader && connectionUpgrade;
        }

        /** RFC 9110 §9.2.2: sending it twice has the effect of sending it once. */
        boolean idempotent() {
            return switch (method) {
                case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
                default -> false;
            };
        }

        @Override
        public void startRequest(String method, String uri, HttpVersion version) {
            started = true;
            this.method = method;
            forwardable = version == HttpVersion.HTTP_1_1;
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
            } else if (h == HttpHeader.TRANSFER_ENCODING || h == HttpHeader.EXPECT) {
                forwardable = false;
            } else if (h == HttpHeader.UPGRADE) {
                // h2c asks this hop to speak HTTP/2, which the router does not: the request goes on as HTTP/1.1
                // without it, as a server that ignores an upgrade answers (Java's HttpClient asks it by default)
                upgradeHeader = !value.trim().equalsIgnoreCase("h2c");
            } else if (h == HttpHeader.CONNECTION) {
                for (String token : value.split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (t.equals("close")) {
                        forwardable = false; // Jetty's connection does the closing
                    } else if (t.equals("upgrade")) {
                        connectionUpgrade = true;
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
                target = rawTarget(method);
                if (target == null) {
                    forwardable = false; // CONNECT's authority-form, or a scheme other than http(s)
                } else {
                    selection = target.form() == RequestTarget.Form.ASTERISK ? forwarding.routes.fallback()
                            : forwarding.routes.select(target.path());
                    // the forwarding path speaks plain HTTP to backends; an https:// backend is Jetty's client's to reach
                    forwardable = !forwarding.pools.get(selection.backend()).tls();
                }
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
            badStatus = 400;
        }

        @Override
        public void badMessage(org.eclipse.jetty.http.HttpException failure) {
            bad = true;
            badStatus = failure.getCode() == 431 ? 431 : 400;
        }
    }

    /** The request line's target, read from the buffer as the client sent it (the parser decoded UTF-8). */
    private RequestTarget rawTarget(String method) {
        ByteBuffer in = buffer.getByteBuffer();
        int i = requestStart;
        while (i < requestEnd && (in.get(i) == '\r' || in.get(i) == '\n')) {
            i++;
        }
        while (i < requestEnd && in.get(i) != ' ') {
            i++; // the method
        }
        int from = i + 1;
        int lineEnd = from;
        while (lineEnd < requestEnd && in.get(lineEnd) != '\r' && in.get(lineEnd) != '\n') {
            lineEnd++;
        }
        int to = lineEnd;
        while (to > from && in.get(to - 1) != ' ') {
            to--; // the version
        }
        to--;
        if (to <= from) {
            return null;
        }
        byte[] bytes = new byte[to - from];
        in.get(from, bytes);
        return RequestTarget.parse(method, bytes, 0, bytes.length);
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
