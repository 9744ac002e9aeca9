package io.cutover.router.proxy;

import io.cutover.router.route.RouteTable;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/** One forwarded request: where it goes, the head to send, and the backend connection carrying it once it has one. */
final class Exchange {
    private final ForwardingConnection client;
    private final RouteTable.Selection selection;
    private final BackendPool pool;
    private final boolean head;
    private final boolean idempotent;
    private final boolean upgrade;
    private volatile boolean tunnelled;
    private final long startNanos;
    private volatile ByteBuffer requestHead;
    private volatile BackendConnection backend;
    private boolean retried;
    private volatile int status;
    private final AtomicBoolean ended = new AtomicBoolean();
    private io.cutover.router.shadow.ShadowCapture capture;

    Exchange(ForwardingConnection client, RouteTable.Selection selection, BackendPool pool, boolean head,
             boolean idempotent, boolean upgrade, long startNanos) {
        this.client = client;
        this.selection = selection;
        this.pool = pool;
        this.head = head;
        this.idempotent = idempotent;
        this.upgrade = upgrade;
        this.startNanos = startNanos;
    }

    /** The copy of the answer kept for a shadow comparison, or null (nearly always). */
    io.cutover.router.shadow.ShadowCapture capture() {
        return capture;
    }

    void capture(io.cutover.router.shadow.ShadowCapture c) {
        capture = c;
    }

    ForwardingConnection client() {
        return client;
    }

    RouteTable.Selection selection() {
        return selection;
    }

    BackendPool pool() {
        return pool;
    }

    /** A HEAD request: the answer has no body whatever its headers say. */
    boolean head() {
        return head;
    }

    /** The client asked for another protocol ({@code Upgrade}): a {@code 101} answer turns the exchange into a tunnel. */
    boolean upgrade() {
        return upgrade;
    }

    /** Whether the exchange became a tunnel (it stays under way until the tunnel closes). */
    boolean tunnelled() {
        return tunnelled;
    }

    void tunnelStarted() {
        tunnelled = true;
    }

    long startNanos() {
        return startNanos;
    }

    /** The request head to write, from its first byte (each attempt writes a view of it). */
    /** Set once, before the exchange is sent (it may wait for a session token first). */
    void requestHead(ByteBuffer head) {
        requestHead = head;
    }

    /** Whether the exchange has ended (the client went away while it waited for its session token, say). */
    boolean ended() {
        return ended.get();
    }

    ByteBuffer requestHead() {
        return requestHead.duplicate();
    }

    /** The status the client has been sent (0 before the status line). */
    int status() {
        return status;
    }

    void status(int status) {
        this.status = status;
    }

    /** True the first time only: an exchange is counted and let go of once, whichever side ends it. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    void carriedBy(BackendConnection connection) {
        backend = connection;
    }

    /**
     * Whether to send the request again on a new connection: once, for an idempotent request whose pooled
     * connection the backend had closed before a byte of the request was written.
     */
    boolean retryOnce() {
        if (!idempotent || retried) {
            return false;
        }
        retried = true;
        return true;
    }

    /** The client went away: the backend connection is mid-answer and must not be reused. */
    void clientClosed(Throwable cause) {
        BackendConnection b = backend;
        if (b != null) {
            b.abandon(this, cause);
        }
    }
}
