package io.cutover.redis.usage;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.lettuce.core.SslVerifyMode;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A connection in {@code MONITOR} mode, read line by line until a deadline. A bare socket rather than Lettuce:
 * MONITOR answers one command with an endless stream of replies, which a request/response client cannot take.
 * Memory stays bounded: a line longer than {@link #MAX_LINE} bytes (a big value being written) is kept in part.
 */
final class MonitorStream implements AutoCloseable {
    /** Bytes of one MONITOR line kept; the rest of a longer line (a big value) is skipped. */
    static final int MAX_LINE = 1 << 20;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final byte[] rbuf = new byte[64 * 1024];
    private int rpos;
    private int rlim;
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

    private MonitorStream(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Connects to {@code endpoint} with its credentials and TLS, names the connection {@code name} (so it can be
     * told apart in CLIENT LIST) and asks for MONITOR. Failing to connect or authenticate is the endpoint's usual
     * one-line error.
     */
    static Start open(RedisEndpoint endpoint, String name) {
        RedisUri uri = endpoint.uri();
        Socket s = null;
        try {
            s = socket(endpoint);
            MonitorStream m = new MonitorStream(s);
            OutputStream out = s.getOutputStream();
            if (uri.password() != null) {
                if (uri.user() != null) {
                    m.send(out, "AUTH", uri.user(), uri.password());
                } else {
                    m.send(out, "AUTH", uri.password());
                }
                m.expectOk();
            }
            m.send(out, "CLIENT", "SETNAME", name);
            m.expectOk();
            m.send(out, "MONITOR");
            String reply = m.reply();
            if (reply.startsWith("-")) {
                s.close();
                return new Refused(reply.substring(1));
            }
            return new Started(m);
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw endpoint.failure(e);
        }
    }

    private static Socket socket(RedisEndpoint endpoint) throws IOException {
        RedisUri uri = endpoint.uri();
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(uri.host(), uri.port()), CONNECT_TIMEOUT_MS);
        plain.setSoTimeout(CONNECT_TIMEOUT_MS);
        if (!uri.tls()) {
            return plain;
        }
        try {
            // the endpoint's own TLS settings (CA, client certificate, --tls-insecure), as Lettuce applies them
            SslContextBuilder b = endpoint.client().getOptions().getSslOptions().createSslContextBuilder();
            boolean verify = endpoint.lettuceUri(0).getVerifyMode() != SslVerifyMode.NONE;
            if (!verify) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            SslContext ctx = b.build();
            if (!(ctx instanceof JdkSslContext jdk)) {
                throw new IOException("TLS for MONITOR needs the JDK's TLS provider");
            }
            SSLSocket tls = (SSLSocket) jdk.context().getSocketFactory()
                    .createSocket(plain, uri.host(), uri.port(), true);
            if (verify) {
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
            }
            tls.startHandshake();
            return tls;
        } catch (IOException e) {
            plain.close();
            throw e;
        } catch (java.security.GeneralSecurityException e) {
            plain.close();
            throw new IOException(e.getMessage(), e);
        }
    }

    private void send(OutputStream out, String... args) throws IOException {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.write(bytes);
            b.write('\r');
            b.write('\n');
        }
        out.write(b.toByteArray());
        out.flush();
    }

    /** One short reply line, type byte included ("+OK", "-ERR …"). */
    private String reply() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = readByte(); c != '\r'; c = readByte()) {
            sb.append((char) c);
        }
        readByte();
        return sb.toString();
    }

    private void expectOk() throws IOException {
        String r = reply();
        if (r.startsWith("-")) {
            throw new IOException(r.substring(1));
        }
    }

    /**
     * The next MONITOR line, or null once {@code deadlineNanos} (System.nanoTime) has passed. A line that is not
     * MONITOR output, or the server closing the connection, is a runtime failure.
     */
    MonitorLine next(long deadlineNanos) throws IOException {
        if (System.nanoTime() >= deadlineNanos) {
            return null;
        }
        try {
            int type = readByte(deadlineNanos);
            int len = 0;
            boolean cut = false;
            while (true) { // copy up to the CR a buffer at a time: a line can be megabytes long
                if (rpos == rlim) {
                    refill(deadlineNanos);
                }
                int end = rpos;
                while (end < rlim && rbuf[end] != '\r') {
                    end++;
                }
                int n = end - rpos;
                int keep = Math.min(n, MAX_LINE - len);
                if (keep < n) {
                    cut = true;
                }
                if (keep > 0) {
                    if (len + keep > line.length) {
                        line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(len + keep, line.length * 2)));
                    }
                    System.arraycopy(rbuf, rpos, line, len, keep);
                    len += keep;
                }
                rpos = end;
                if (end < rlim) {
                    rpos++; // the CR
                    break;
                }
            }
            readByte(deadlineNanos); // '\n'
            if (type != '+') {
                throw CutoverException.runtime("MONITOR stream: unexpected reply "
                        + (char) type + new String(line, 0, Math.min(len, 200), StandardCharsets.ISO_8859_1));
            }
            return MonitorLine.parse(line, len, cut);
        } catch (SocketTimeoutException e) {
            return null; // the deadline passed while waiting: the sample is over
        }
    }

    private int readByte(long deadlineNanos) throws IOException {
        if (rpos == rlim) {
            refill(deadlineNanos);
        }
        return rbuf[rpos++] & 0xff;
    }

    /** Reads more, waiting at most until the deadline (then a {@link SocketTimeoutException}). */
    private void refill(long deadlineNanos) throws IOException {
        long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0) {
            throw new SocketTimeoutException();
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
        fill();
    }

    private int readByte() throws IOException {
        if (rpos == rlim) {
            fill();
        }
        return rbuf[rpos++] & 0xff;
    }

    private void fill() throws IOException {
        int n = in.read(rbuf, 0, rbuf.length);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        rpos = 0;
        rlim = n;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
