package io.cutover.router.proxy;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A keep-alive connection to a backend that carries {@link Exchange}s one at a time: it writes the request head and
 * streams the answer to the client as it arrives, passing the backend's bytes through as they are (the head too,
 * unless a hop-by-hop header must come out of it). It reads from the backend only when the client has taken the
 * last bytes written, so a slow client slows the backend down instead of filling the router's memory.
 */
final class BackendConnection extends AbstractConnection {
    private static final int MIN_BUFFER_SIZE = 16 * 1024;

    /** Where a write of the answer to the client is: it may complete inline, or later on another event loop. */
    private enum Write {
        NONE,
        /** Under way: the pump has not returned from it yet. */
        WRITING,
        /** Completed while the pump was still in it: the pump goes on. */
        WRITTEN,
        /** Not complete when the pump returned: its completion resumes the pump. */
        WAITING
    }

    /** How far the answer of the exchange under way has come. */
    private enum Answer {
        /** Not a byte from the backend yet (a failure now may be retried on a pooled connection). */
        NOTHING,
        /** Bytes, but not a whole head yet (or an interim 1xx answer passed on, the final one to come). */
        RECEIVING_HEAD,
        /** The head is parsed, not yet sent. */
        HEAD,
        /** The final head went to the client: a failure now can only cut the connection. */
        COMMITTED
    }

    private final BackendPool pool;
    private final ByteBufferPool buffers;
    private final HttpParser parser;
    /** Holds a whole response head (up to max_response_head) and body bytes on their way through. */
    private final int bufferSize;
    private final ResponseHead response = new ResponseHead();
    private final Callback readable = new NonBlockingCallback() {
        @Override
        public void succeeded() {
            onFillable();
        }

        @Override
        public void failed(Throwable x) {
            Exchange e = exchange;
            if (e != null) {
                fail(e, x);
            } else {
                getEndPoint().close(x);
            }
        }
    };
    private final Callback requestWritten = new NonBlockingCallback() {
        @Override
        public void succeeded() {
            partDone();
        }

        @Override
        public void failed(Throwable x) {
            Exchange e = exchange;
            if (e != null) {
                fail(e, x);
            }
        }
    };
    private final Callback answerWritten = new NonBlockingCallback() {
        @Override
        public void succeeded() {
            if (!writeState.compareAndSet(Write.WRITING, Write.WRITTEN)) {
                resume(); // the write completed later, on the client's event loop: go on from there
            }
        }

        @Override
        public void failed(Throwable x) {
            writeState.set(Write.NONE);
            Exchange e = exchange;
            if (e != null) {
                clientGone(e, x);
            }
        }
    };
    private final AtomicReference<Write> writeState = new AtomicReference<>(Write.NONE);
    /**
     * The parts of an exchange still under way: the request's write and the answer. The answer can be complete
     * before the event loop that wrote the request has returned from the write; the connection goes back to the
     * pool only when both are done, or its next request would find that write still in progress.
     */
    private final AtomicInteger parts = new AtomicInteger();
    /** Whether the connection may carry another exchange once both parts are done. */
    private boolean reusable;

    private RetainableByteBuffer buffer;
    private volatile Exchange exchange;
    /** Whether the pool counts this connection as carrying an exchange; the pool's lock guards it. */
    boolean active;
    // the answer under way; only the thread running the exchange touches these
    private boolean needInput;
    private Answer answer = Answer.NOTHING;
    private boolean completeAfterWrite;
    /** Whether the exchange under way came to this connection from the pool (it had carried one before). */
    private boolean pooled;
    private ByteBuffer pendingHead;

    BackendConnection(BackendPool pool, EndPoint endPoint, Executor executor, ByteBufferPool buffers) {
        super(endPoint, executor);
        this.pool = pool;
        this.buffers = buffers;
        this.bufferSize = Math.max(MIN_BUFFER_SIZE, pool.maxResponseHead());
        this.parser = new HttpParser(response, pool.maxResponseHead(), HttpCompliance.RFC9110);
    }

    /**
     * Writes {@code e}'s request and waits for the answer. Only when a connection from the pool ({@code pooled}) is
     * closed by the backend before any answer is the request sent again, once (see {@link #fail}); anything else
     * is the client's 502 or 504: the backend may have run the request. An idle pooled connection the backend
     * closes is seen by the selector and dropped from the pool (see {@link #onFillable}), so that close mostly
     * happens before a request is written, not after.
     */
    void send(Exchange e, boolean pooled) {
        if (buffer == null) {
            buffer = buffers.acquire(bufferSize, true);
        }
        BufferUtil.clear(buffer.getByteBuffer());
        e.carriedBy(this);
        this.pooled = pooled;
        parts.set(2);
        needInput = true;
        answer = Answer.NOTHING;
        completeAfterWrite = false;
        pendingHead = null;
        response.status = 0;
        getEndPoint().setIdleTimeout(pool.answerTimeoutMillis());
        exchange = e; // last: the event loop that reads the answer sees all of the above
        try {
            getEndPoint().write(requestWritten, e.requestHead());
        } catch (RuntimeException x) {
            fail(e, x); // a write still in progress on this connection is a bug, but must not hang the exchange
            return;
        }
        getEndPoint().tryFillInterested(readable);
    }

    /**
     * Back in the pool, where it notices the backend closing it. It keeps its buffer (at most max_connections of
     * them per backend): taking one from the buffer pool for every exchange was 1.5% of the event loop's time.
     */
    void idle() {
        getEndPoint().setIdleTimeout(pool.idleTimeout().toMillis());
        getEndPoint().tryFillInterested(readable);
    }

    @Override
    public void onFillable() {
        if (exchange == null) {
            // pooled and unused: the only thing a backend may send now is its close
            try {
                ByteBuffer probe = BufferUtil.allocate(1);
                if (getEndPoint().fill(probe) == 0) {
                    getEndPoint().tryFillInterested(readable);
                    return;
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            getEndPoint().close();
            return;
        }
        resume();
    }

    private void resume() {
        Exchange e = exchange;
        if (e == null) {
            return;
        }
        if (completeAfterWrite) {
            complete(e);
        } else {
            pump(e);
        }
    }

    /** Moves the answer from the backend to the client until it is complete or one side has to wait. */
    private void pump(Exchange e) {
        ByteBuffer b = buffer.getByteBuffer();
        while (true) {
            if (needInput) {
                if (!b.hasRemaining()) {
                    BufferUtil.clear(b);
                } else if (BufferUtil.space(b) == 0 && !BufferUtil.compact(b)) {
                    fail(e, new IOException(BackendFailure.HEAD_TOO_LARGE));
                    return;
                }
                int filled;
                try {
                    filled = getEndPoint().fill(b);
                } catch (IOException x) {
                    fail(e, x);
                    return;
                }
                if (filled == 0) {
                    getEndPoint().tryFillInterested(readable);
                    return;
                }
                if (filled < 0) {
                    atEOF(e);
                    return;
                }
                if (answer == Answer.NOTHING) {
                    answer = Answer.RECEIVING_HEAD;
                }
                needInput = false;
            }
            if (answer == Answer.RECEIVING_HEAD) {
                int start = b.position();
                int end = b.limit();
                parser.reset();
                parser.setHeadResponse(e.head());
                response.clear();
                parser.parseNext(b);
                if (response.bad != null) {
                    fail(e, response.bad);
                    return;
                }
                if (!response.headerDone) {
                    b.limit(end).position(start); // parsed again, whole, once the rest is in
                    needInput = true;
                    continue;
                }
                answer = Answer.HEAD;
                if (response.status == 101 && e.upgrade()) {
                    upgrade(e, slice(b, start, b.position()), b.hasRemaining() ? slice(b, b.position(), b.limit()) : null);
                    return;
                }
                pendingHead = response.rewrite() ? response.rewritten() : slice(b, start, b.position());
                if (!response.messageDone) {
                    continue;
                }
            }
            int start = b.position();
            if (!response.messageDone) {
                parser.parseNext(b);
                if (response.bad != null) {
                    fail(e, response.bad);
                    return;
                }
            }
            ByteBuffer body = b.position() > start ? slice(b, start, b.position()) : null;
            boolean last = response.messageDone && response.status >= 200;
            if (response.messageDone && !last) {
                answer = Answer.RECEIVING_HEAD; // an interim answer (1xx): the final one follows
            }
            if (!b.hasRemaining()) {
                needInput = true;
            }
            ByteBuffer head = pendingHead;
            pendingHead = null;
            if (head != null || body != null) {
                completeAfterWrite = last;
                if (!write(e, head, body)) {
                    return; // the client is slow: answerWritten resumes
                }
            }
            if (last) {
                complete(e);
                return;
            }
        }
    }

    /**
     * The backend switched protocols: its {@code 101} head goes to the client as it came (its {@code Upgrade} and
     * {@code Connection} headers are the point of it), with any bytes that followed it, and the two connections become
     * a {@link UpgradeTunnel}. This connection is never pooled again; an idle tunnel closes after the client idle timeout.
     */
    private void upgrade(Exchange e, ByteBuffer head, ByteBuffer rest) {
        e.status(101);
        answer = Answer.COMMITTED;
        reusable = false;
        getEndPoint().setIdleTimeout(e.client().tunnelIdleTimeoutMillis());
        ByteBuffer[] out = rest == null ? new ByteBuffer[]{head} : new ByteBuffer[]{head, rest};
        e.client().write(Callback.from(() -> e.client().tunnelStarts(e, getEndPoint()), x -> clientGone(e, x)), out);
    }

    /** Writes to the client; true when the write completed at once. */
    private boolean write(Exchange e, ByteBuffer head, ByteBuffer body) {
        e.status(response.status);
        if (head != null && response.status >= 200) {
            answer = Answer.COMMITTED;
        }
        writeState.set(Write.WRITING);
        ByteBuffer[] out = head == null ? new ByteBuffer[]{body} : body == null ? new ByteBuffer[]{head} : new ByteBuffer[]{head, body};
        if (e.capture() != null) {
            e.capture().copy(out);
        }
        e.client().write(answerWritten, out);
        return !writeState.compareAndSet(Write.WRITING, Write.WAITING);
    }

    private void atEOF(Exchange e) {
        if ((answer == Answer.HEAD || answer == Answer.COMMITTED) && !response.messageDone) {
            parser.atEOF();
            parser.parseNext(BufferUtil.EMPTY_BUFFER);
            if (response.messageDone) {
                response.keepAlive = false;
                complete(e); // a close-delimited body ended
                return;
            }
        }
        fail(e, new EOFException("the backend closed the connection " + (answer == Answer.NOTHING ? "before answering" : "mid-answer")));
    }

    private void complete(Exchange e) {
        if (exchange != e) {
            return;
        }
        exchange = null;
        completeAfterWrite = false;
        int status = response.status;
        boolean keepClient = !response.closeDelimited;
        reusable = response.keepAlive && !buffer.getByteBuffer().hasRemaining() && getEndPoint().isOpen();
        if (e.capture() != null) {
            e.capture().rawAnswerDone(e.head());
        }
        partDone();
        e.client().exchangeDone(e, status, keepClient);
    }

    /** One part of the exchange is done; after the last, the connection goes back to the pool or is closed. */
    private void partDone() {
        if (parts.decrementAndGet() != 0) {
            return;
        }
        if (reusable) {
            pool.release(this);
        } else {
            getEndPoint().close();
        }
    }

    /** The backend failed: a 502/504 for the client if it has had nothing yet, else a cut connection. */
    private void fail(Exchange e, Throwable failure) {
        if (exchange != e) {
            return;
        }
        exchange = null;
        getEndPoint().close(failure);
        if (answer == Answer.COMMITTED) {
            e.client().exchangeAborted(e, response.status, failure);
        } else if (pooled && answer == Answer.NOTHING && closedByBackend(failure) && e.retryOnce()) {
            // a kept-alive connection closed without a byte of answer: the backend's keep-alive timeout crossing the
            // request (its close was on the way as the request went out). A timeout or a fresh connection is never
            // sent twice
            pool.sendOnNewConnection(e);
        } else {
            e.client().exchangeFailed(e, failure);
        }
    }

    /** A close or reset by the backend, as opposed to a timeout or a bad answer. */
    private static boolean closedByBackend(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (c instanceof EOFException && !(c instanceof java.nio.channels.ClosedChannelException)) {
                return true;
            }
            if (c instanceof IOException && m != null && (m.contains("Connection reset") || m.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    private void clientGone(Exchange e, Throwable failure) {
        if (exchange != e) {
            return;
        }
        exchange = null;
        getEndPoint().close(failure); // mid-answer: the connection cannot carry another one
        e.client().exchangeAborted(e, response.status, failure);
    }

    /** The client closed while this connection was carrying its exchange. */
    void abandon(Exchange e, Throwable cause) {
        if (exchange != e) {
            return;
        }
        exchange = null;
        getEndPoint().close(cause);
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        Exchange e = exchange;
        if (e != null) {
            fail(e, timeout);
        }
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        Exchange e = exchange;
        if (e != null) {
            fail(e, cause == null ? new EOFException("the backend connection closed") : cause);
        }
        releaseBuffer();
        pool.closed(this);
        super.onClose(cause);
    }

    boolean isOpen() {
        return getEndPoint().isOpen();
    }

    private void releaseBuffer() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }

    private static ByteBuffer slice(ByteBuffer b, int from, int to) {
        ByteBuffer s = b.duplicate();
        s.limit(to).position(from);
        return s;
    }

    /** What the parser saw of the answer's head. */
    private static final class ResponseHead implements HttpParser.ResponseHandler {
        int status;
        HttpVersion version;
        String reason;
        final List<HttpField> fields = new ArrayList<>(16);
        boolean hop;
        boolean chunked;
        boolean hasLength;
        boolean closeDelimited;
        boolean keepAlive;
        boolean headerDone;
        boolean messageDone;
        Throwable bad;

        void clear() {
            status = 0;
            version = null;
            reason = null;
            fields.clear();
            hop = chunked = hasLength = closeDelimited = headerDone = messageDone = false;
            keepAlive = true;
            bad = null;
        }

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            this.version = version;
            this.status = status;
            this.reason = reason;
            keepAlive = version == HttpVersion.HTTP_1_1;
        }

        @Override
        public void parsedHeader(HttpField field) {
            fields.add(field);
            HttpHeader h = field.getHeader();
            if (h == HttpHeader.CONTENT_LENGTH) {
                hasLength = true;
            } else if (h == HttpHeader.TRANSFER_ENCODING) {
                chunked = field.getValue().toLowerCase(Locale.ROOT).endsWith("chunked");
            } else if (h == HttpHeader.CONNECTION) {
                String v = field.getValue().toLowerCase(Locale.ROOT);
                if (v.contains("close")) {
                    keepAlive = false;
                } else if (v.contains("keep-alive")) {
                    keepAlive = true;
                }
            }
            if (h != null && HopByHop.HEADERS.contains(h)) {
                hop = true;
            }
        }

        @Override
        public boolean headerComplete() {
            headerDone = true;
            boolean bodiless = status < 200 || status == 204 || status == 304;
            closeDelimited = !bodiless && !chunked && !hasLength;
            if (closeDelimited) {
                keepAlive = false;
            }
            return true; // stop after the head: it is sent (or rewritten) before any of the body
        }

        /** Whether the head must be rewritten rather than passed on: hop-by-hop headers, HTTP/1.0, or no framing. */
        boolean rewrite() {
            return hop || version != HttpVersion.HTTP_1_1 || closeDelimited;
        }

        /** The head without hop-by-hop headers, as HTTP/1.1; a close-delimited body says so with Connection: close. */
        ByteBuffer rewritten() {
            List<String> listed = new ArrayList<>();
            for (HttpField f : fields) {
                if (f.getHeader() == HttpHeader.CONNECTION) {
                    for (String t : f.getValue().split(",")) {
                        listed.add(t.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            StringBuilder s = new StringBuilder(256);
            s.append("HTTP/1.1 ").append(status).append(' ').append(reason == null ? "" : reason).append("\r\n");
            for (HttpField f : fields) {
                HttpHeader h = f.getHeader();
                if ((h != null && HopByHop.HEADERS.contains(h)) || listed.contains(f.getLowerCaseName())) {
                    continue;
                }
                s.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
            }
            if (closeDelimited) {
                s.append("Connection: close\r\n");
            }
            s.append("\r\n");
            return ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        public boolean content(ByteBuffer item) {
            return false; // the body's bytes are passed on as they came, framing and all
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            messageDone = true;
            return true;
        }

        @Override
        public void earlyEOF() {
            bad = new EOFException("the backend closed the connection mid-answer");
        }

        @Override
        public void badMessage(HttpException failure) {
            bad = failure.getCode() == 431 ? new IOException(BackendFailure.HEAD_TOO_LARGE)
                    : new BackendFailure.BadResponse("the backend's answer is not HTTP/1.1: " + failure.getReason());
        }
    }
}
