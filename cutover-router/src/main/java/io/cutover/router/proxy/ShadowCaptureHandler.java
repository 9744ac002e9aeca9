package io.cutover.router.proxy;

import io.cutover.router.route.RouteSelectionHandler;
import io.cutover.router.route.RouteTable;
import io.cutover.router.shadow.Observed;
import io.cutover.router.shadow.Shadow;
import io.cutover.router.shadow.ShadowCapture;
import io.cutover.router.shadow.ShadowRequest;
import io.cutover.router.shadow.Shadows;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.Locale;

/**
 * The handler chain's side of shadow traffic (what the forwarding path does in {@code ForwardingConnection} and
 * {@code BackendConnection}): for a sampled request of a shadowed route it copies the request body (writes only) and
 * the answer as they stream, and queues the comparison once the client has its answer.
 */
public final class ShadowCaptureHandler extends Handler.Wrapper {
    private final Shadows shadows;
    private final String tokenHeader;

    public ShadowCaptureHandler(Shadows shadows, String tokenHeader, Handler next) {
        super(next);
        this.shadows = shadows;
        this.tokenHeader = tokenHeader == null ? null : tokenHeader.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        RouteTable.Selection sel = RouteSelectionHandler.selection(request);
        Shadow shadow = sel == null ? null : shadows.of(sel.route());
        if (shadow == null || !shadow.wants(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        BodyCopy body = new BodyCopy(request);
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        Set<String> listed = connectionListed(request);
        boolean hasHost = false;
        for (HttpField f : request.getHeaders()) {
            if (!HopByHop.dropFromRequest(f, tokenHeader, listed) && f.getHeader() != org.eclipse.jetty.http.HttpHeader.CONTENT_LENGTH) {
                fields.add(Map.entry(f.getName(), f.getValue()));
                hasHost |= f.getHeader() == org.eclipse.jetty.http.HttpHeader.HOST;
            }
        }
        if (!hasHost && request.getHttpURI().getAuthority() != null) {
            fields.add(Map.entry("Host", request.getHttpURI().getAuthority())); // HTTP/2
        }
        String target = request.getHttpURI().getPathQuery();
        AnswerCopy answer = new AnswerCopy(response);
        Callback done = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                byte[] b = body.bytes();
                ShadowCapture c = answer.capture(shadow, new ShadowRequest(request.getMethod(), target, fields, b));
                if (b == null) {
                    c.overflowed(); // a request body too large to send again: counted, not compared
                }
                c.answerDone(response.getStatus(), headers(response));
                super.succeeded();
            }
        };
        return super.handle(body, answer, done);
    }

    private static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (HttpField f : response.getHeaders()) {
            out.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>(1)).add(f.getValue());
        }
        return out;
    }

    private static Set<String> connectionListed(Request request) {
        Set<String> names = new HashSet<>();
        for (String v : request.getHeaders().getValuesList(org.eclipse.jetty.http.HttpHeader.CONNECTION)) {
            for (String t : v.split(",")) {
                names.add(t.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** The request, its body copied as the proxy reads it (up to the comparison's limit). */
    private static final class BodyCopy extends Request.Wrapper {
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        private boolean overflow;

        BodyCopy(Request wrapped) {
            super(wrapped);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.hasRemaining() && !overflow) {
                ByteBuffer b = chunk.getByteBuffer().duplicate();
                if (copy.size() + b.remaining() > Observed.MAX_BODY) {
                    overflow = true;
                } else {
                    byte[] a = new byte[b.remaining()];
                    b.get(a);
                    copy.write(a, 0, a.length);
                }
            }
            return chunk;
        }

        /** The body read, or null when it was too large to keep. */
        synchronized byte[] bytes() {
            return overflow ? null : copy.toByteArray();
        }
    }

    /** The response, its body copied as it is written. */
    private static final class AnswerCopy extends Response.Wrapper {
        private final List<ByteBuffer> parts = new ArrayList<>();
        private long size;
        private boolean overflow;

        AnswerCopy(Response wrapped) {
            super(wrapped.getRequest(), wrapped);
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (content != null && content.hasRemaining()) {
                ByteBuffer d = content.duplicate();
                synchronized (parts) {
                    size += d.remaining();
                    if (size > Observed.MAX_BODY) {
                        overflow = true; // no comparison: the copy stops holding memory
                        parts.clear();
                    } else if (!overflow) {
                        ByteBuffer copy = ByteBuffer.allocate(d.remaining());
                        copy.put(d).flip();
                        parts.add(copy);
                    }
                }
            }
            super.write(last, content, callback);
        }

        ShadowCapture capture(Shadow shadow, ShadowRequest request) {
            ShadowCapture c = new ShadowCapture(shadow, request);
            synchronized (parts) {
                if (overflow) {
                    c.overflowed();
                } else {
                    c.copy(parts.toArray(new ByteBuffer[0]));
                }
            }
            return c;
        }
    }
}
