package io.cutover.router.proxy;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two byte streams of an upgraded connection (a WebSocket after the backend's {@code 101}), each read only as
 * fast as the other side takes it. When one side ends its stream, the other side's output is shut; when both have,
 * or either fails, {@code client} is closed, which closes the backend connection too (and ends the exchange).
 */
final class UpgradeTunnel {
    private static final int BUFFER_SIZE = 16 * 1024;

    private final EndPoint client;
    private final AtomicInteger streams = new AtomicInteger(2);

    private UpgradeTunnel(EndPoint client) {
        this.client = client;
    }

    /** Starts moving bytes both ways; {@code clientBytes} (or null) go to the backend first. */
    static void start(EndPoint client, EndPoint backend, ByteBuffer clientBytes) {
        UpgradeTunnel t = new UpgradeTunnel(client);
        t.new Direction(client, backend).startWith(clientBytes);
        t.new Direction(backend, client).startWith(null);
    }

    private void streamEnded() {
        if (streams.decrementAndGet() == 0) {
            client.close();
        }
    }

    private void failed(Throwable x) {
        client.close(x);
    }

    /** One way through the tunnel. */
    private final class Direction {
        private static final int IDLE = 0;
        private static final int WRITING = 1;
        private static final int WAITING = 2;

        private final EndPoint from;
        private final EndPoint to;
        private final ByteBuffer buffer = BufferUtil.allocate(BUFFER_SIZE);
        private final AtomicInteger writeState = new AtomicInteger(IDLE);
        private final NonBlockingCallback readable = new NonBlockingCallback() {
            @Override
            public void succeeded() {
                pump();
            }

            @Override
            public void failed(Throwable x) {
                UpgradeTunnel.this.failed(x);
            }
        };
        private final NonBlockingCallback written = new NonBlockingCallback() {
            @Override
            public void succeeded() {
                if (!writeState.compareAndSet(WRITING, IDLE)) {
                    writeState.set(IDLE);
                    pump(); // completed later: the pump returned meanwhile
                }
            }

            @Override
            public void failed(Throwable x) {
                UpgradeTunnel.this.failed(x);
            }
        };

        Direction(EndPoint from, EndPoint to) {
            this.from = from;
            this.to = to;
        }

        void startWith(ByteBuffer first) {
            if (first != null && first.hasRemaining()) {
                writeState.set(WRITING);
                to.write(written, first);
                if (writeState.compareAndSet(WRITING, WAITING)) {
                    return;
                }
            }
            pump();
        }

        private void pump() {
            try {
                while (true) {
                    BufferUtil.clear(buffer);
                    int n = from.fill(buffer);
                    if (n == 0) {
                        from.fillInterested(readable);
                        return;
                    }
                    if (n < 0) {
                        if (to.isOpen()) {
                            to.shutdownOutput();
                        }
                        streamEnded();
                        return;
                    }
                    writeState.set(WRITING);
                    to.write(written, buffer);
                    if (writeState.compareAndSet(WRITING, WAITING)) {
                        return; // the other side is slow: written resumes
                    }
                }
            } catch (IOException | RuntimeException x) {
                failed(x);
            }
        }
    }
}
