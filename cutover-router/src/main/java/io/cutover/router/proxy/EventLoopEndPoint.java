package io.cutover.router.proxy;

import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The socket end point of the router's event loop (client and backend connections alike). It saves three of the
 * seven system calls Jetty's own end point makes per proxied request:
 * <ul>
 * <li>Jetty takes a connection's read interest off the selector each time the connection is selected and puts it
 * back at the next {@code fillInterested()}: an {@code epoll_ctl} each way, around every request. Here read interest
 * stays on when the read callback runs on the loop itself (it is non-blocking: the next select then comes after it
 * has read). Only when bytes arrive that nobody has asked for yet (a client's next request or its close, while the
 * backend is still answering) is it taken off, as Jetty would, so the selector does not report them over and over.</li>
 * <li>Backend connections only: after a read that came back shorter than the room it had, the socket was empty;
 * until the selector reports the connection readable again, another read can only fail with {@code EAGAIN}, and
 * Jetty's HTTP client makes that read after every response. {@link #fill} then answers 0 without the system call.
 * The client's response reader calls {@code fillInterested()} on a 0, and the selector (level-triggered epoll)
 * reports bytes that arrived meanwhile at its next select, so a 0 given here delays bytes by one turn of the loop at
 * most and never loses them. Client connections read as in Jetty: their hot path makes no empty read (see
 * {@link EventLoopThreadPool}), and at the end of a request Jetty reads what is left of an unread body without
 * asking to be told of more, where a 0 without reading would close a connection that could have been kept.</li>
 * </ul>
 */
final class EventLoopEndPoint extends SocketChannelEndPoint {
    private final boolean skipEmptyReads;
    private volatile SelectionKey key;
    /** False after a short read, until the selector reports the socket readable again. */
    private volatile boolean mayHaveInput = true;

    /** @param skipEmptyReads whether {@link #fill} may answer 0 without reading (only where every 0 leads to {@code fillInterested()}) */
    EventLoopEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler, boolean skipEmptyReads) {
        super(channel, selector, key, scheduler);
        this.key = key;
        this.skipEmptyReads = skipEmptyReads;
    }

    @Override
    public Runnable onSelected() {
        int ready = key.readyOps();
        boolean readable = (ready & SelectionKey.OP_READ) != 0;
        if (readable) {
            mayHaveInput = true;
        }
        // a non-blocking read callback runs on this thread before the next select, so keeping read interest on
        // cannot make the selector report the same bytes twice
        boolean keepReadInterest = readable && getFillInterest().isInterested()
                && getFillInterest().getCallbackInvocationType() == InvocationType.NON_BLOCKING;
        Runnable task = super.onSelected(); // takes the ready operations off the interest set, as in Jetty
        if (keepReadInterest) {
            // puts read back before the key is updated (Jetty updates it after this selection), so the interest
            // set handed to epoll does not change
            super.needsFillInterest();
        }
        return task;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        if (!skipEmptyReads) {
            return super.fill(buffer);
        }
        if (!mayHaveInput && isOpen() && !isInputShutdown()) {
            return 0; // the last read emptied the socket and the selector has not reported it readable since
        }
        mayHaveInput = false; // before the read: a selection while it runs sets it again
        int room = room(buffer);
        int filled = super.fill(buffer);
        if (filled < 0 || filled >= room) {
            mayHaveInput = true; // a full buffer may have left bytes behind; at the end, let Jetty's fill say so
        }
        return filled;
    }

    /** The bytes {@link SocketChannelEndPoint#fill} can read into {@code buffer} (it compacts a buffer whose limit is at its capacity). */
    private static int room(ByteBuffer buffer) {
        int capacity = buffer.capacity();
        int remaining = buffer.remaining();
        return remaining == 0 || buffer.limit() == capacity ? capacity - remaining : capacity - buffer.limit();
    }

    @Override
    public void replaceKey(SelectionKey newKey) {
        key = newKey;
        super.replaceKey(newKey);
    }
}
