package io.cutover.router.support;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Jetty backend for tests. Paths: {@code /slow?ms=N} answers after N ms; {@code /download?bytes=N}
 * streams N bytes; {@code /upload} counts the body; anything else echoes "NAME METHOD PATH?QUERY BODY".
 * Every request is recorded in {@link #seen()}.
 */
public final class TestBackend implements AutoCloseable {
    private final String name;
    private final LoopbackJetty jetty;
    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final AtomicReference<CountDownLatch> slowStarted = new AtomicReference<>(new CountDownLatch(1));
    private final java.util.concurrent.atomic.AtomicInteger slowNow = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger slowPeak = new java.util.concurrent.atomic.AtomicInteger();

    /** A request as the backend received it. */
    public record Seen(String method, String pathQuery, HttpFields headers, long bodyBytes, String body) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    public TestBackend(String name) throws Exception {
        this.name = name;
        jetty = LoopbackJetty.start("backend-" + name, 64, 4, this::serve);
    }

    public int port() {
        return jetty.port();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public BlockingQueue<Seen> seen() {
        return seen;
    }

    /** The most /slow requests this backend was serving at once. */
    public int slowPeak() {
        return slowPeak.get();
    }

    /** Counts down when a /slow request has arrived. */
    public CountDownLatch slowStarted() {
        return slowStarted.get();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        Fields q = Request.extractQueryParameters(request);
        String pathQuery = path + (request.getHttpURI().getQuery() == null ? "" : "?" + request.getHttpURI().getQuery());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put("X-Backend", name);
        switch (path) {
            case "/download" -> {
                long n = Long.parseLong(q.getValue("bytes"));
                seen.add(new Seen(request.getMethod(), pathQuery, request.getHeaders(), 0, ""));
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, n);
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) i;
                }
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    long left = n;
                    while (left > 0) {
                        int len = (int) Math.min(chunk.length, left);
                        out.write(chunk, 0, len);
                        left -= len;
                    }
                }
                callback.succeeded();
            }
            case "/upload" -> {
                long total = 0;
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = Content.Source.asInputStream(request)) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        total += r;
                    }
                }
                seen.add(new Seen(request.getMethod(), pathQuery, request.getHeaders(), total, ""));
                Content.Sink.write(response, true, "received " + total, callback);
            }
            default -> {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                seen.add(new Seen(request.getMethod(), pathQuery, request.getHeaders(), body.length(), body));
                if (path.equals("/slow")) {
                    slowStarted.get().countDown();
                    slowPeak.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(Long.parseLong(q.getValue("ms")));
                    } finally {
                        slowNow.decrementAndGet();
                    }
                }
                Content.Sink.write(response, true, name + " " + request.getMethod() + " " + pathQuery
                        + (body.isEmpty() ? "" : " " + body), callback);
            }
        }
    }

    @Override
    public void close() throws Exception {
        jetty.close();
    }
}
