package io.cutover.redis.usage;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RespPipe;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A connection in {@code MONITOR} mode, read line by line until a deadline. A bare RESP connection
 * ({@link RespPipe}, plain or TLS) rather than Lettuce: MONITOR answers one command with an endless stream of
 * replies, which a request/response client cannot take. Memory stays bounded: a line longer than
 * {@link #MAX_LINE} bytes (a big value being written) is kept in part.
 */
final class MonitorStream implements AutoCloseable {
    /** Bytes of one MONITOR line kept; the rest of a longer line (a big value) is skipped. */
    static final int MAX_LINE = 1 << 20;

    private final RespPipe pipe;
    private byte[] line = new byte[4096];

    /** How asking for MONITOR went. */
    sealed interface Start {
    }

    /** MONITOR is on: read the stream. */
    record Started(MonitorStream stream) implements Start {
    }

    /** The server refused MONITOR (renamed away, ACL, a managed service): its reply. */
    record Refused(String reply) implements Start {
    }

    private MonitorStream(RespPipe pipe) {
        this.pipe = pipe;
    }

    /**
     * Connects to {@code endpoint} with its credentials and TLS, names the connection {@code name} (so it can be
     * told apart in CLIENT LIST) and asks for MONITOR. Failing to connect or authenticate is the endpoint's usual
     * one-line error.
     */
    static Start open(RedisEndpoint endpoint, String name) {
        RespPipe p = endpoint.openPipe(0);
        try {
            p.command(RespPipe.ascii("CLIENT"), RespPipe.ascii("SETNAME"), name.getBytes(StandardCharsets.UTF_8));
            p.flush();
            p.expectOk();
            p.command(RespPipe.ascii("MONITOR"));
            p.flush();
            try {
                p.expectOk();
            } catch (RespPipe.ReplyError e) {
                p.close();
                return new Refused(e.getMessage());
            }
            return new Started(new MonitorStream(p));
        } catch (IOException | RuntimeException e) {
            p.close();
            throw endpoint.failure(e);
        }
    }

    /**
     * The next MONITOR line, or null once {@code deadlineNanos} (System.nanoTime) has passed. A line that is not
     * MONITOR output, or the server closing the connection, is a runtime failure.
     */
    MonitorLine next(long deadlineNanos) throws IOException {
        long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
            return null;
        }
        try {
            pipe.readTimeout(leftMs);
            int type = pipe.type();
            RespPipe.Line l = pipe.line(line, MAX_LINE);
            line = l.buffer();
            if (type != '+') {
                throw CutoverException.runtime("MONITOR stream: unexpected reply "
                        + (char) type + new String(line, 0, Math.min(l.length(), 200), StandardCharsets.ISO_8859_1));
            }
            return MonitorLine.parse(line, l.length(), l.cut());
        } catch (SocketTimeoutException e) {
            return null; // the deadline passed while waiting: the sample is over
        }
    }

    @Override
    public void close() {
        pipe.close();
    }
}
