package io.cutover.router.proxy;

import io.cutover.router.config.RouterSettings;
import io.cutover.router.config.RouterSettings.BackendSpec;
import io.cutover.router.http.PlainText;
import io.cutover.router.metrics.OwnAnswers;
import io.cutover.router.route.RouteSelectionHandler;
import io.cutover.router.route.RouteTable;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Streams requests to one backend through its own Jetty {@link HttpClient} (its own connection pool of
 * {@code max_connections}). Bodies flow chunk by chunk both ways; nothing is buffered whole. Headers pass
 * unchanged except hop-by-hop ones and the session token header, which only the router may set.
 */
public final class BackendProxy extends ProxyHandler.Reverse {
    private static final Logger LOG = LoggerFactory.getLogger(BackendProxy.class);


    private final BackendSpec spec;
    private final int maxQueued;
    private final String tokenHeader;
    private final EventLoopConnector loop;
    private final OwnAnswers answers;
    private final ForwardedHeaders forwarded;
    private final int maxRequestHead;
    private final int maxResponseHead;

    /**
     * @param maxQueued   requests that may wait for a pooled connection
     * @param tokenHeader the session token header (always stripped from clients), or null
     * @param loop        the router's connector, whose selectors carry the backend connections too
     */
    public BackendProxy(BackendSpec spec, RouterSettings.LimitsSpec limits, String tokenHeader, EventLoopConnector loop,
                        OwnAnswers answers, java.util.List<io.cutover.router.config.Cidr> trustedProxies) {
        super(rewriter(spec.url()));
        this.spec = spec;
        this.maxQueued = limits.maxInflight();
        this.maxRequestHead = limits.maxRequestHead();
        this.maxResponseHead = limits.maxResponseHead();
        this.tokenHeader = tokenHeader == null ? null : tokenHeader.toLowerCase(Locale.ROOT);
        this.loop = loop;
        this.answers = answers;
        this.forwarded = new ForwardedHeaders(trustedProxies);
    }

    /**
     * Proxying never blocks a thread (the client sends asynchronously, bodies move by demand and callbacks),
     * so Jetty may run it straight from the selector instead of dispatching to another thread.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    /** The backend this proxy sends to. */
    public BackendSpec spec() {
        return spec;
    }

    private static Function<Request, HttpURI> rewriter(URI base) {
        String scheme = base.getScheme();
        String host = base.getHost();
        int port = base.getPort() > 0 ? base.getPort() : (scheme.equals("https") ? 443 : 80);
        String prefix = base.getRawPath() == null || base.getRawPath().equals("/") ? "" : stripSlash(base.getRawPath());
        return request -> {
            HttpURI in = request.getHttpURI();
            String path = in.getPath() == null ? "/" : in.getPath();
            if (!prefix.isEmpty() && path.contains("/.")) {
                path = io.cutover.router.route.RequestTarget.routingPath(path); // no climbing out of the prefix
            }
            HttpURI.Mutable out = HttpURI.build().scheme(scheme).host(host).port(port)
                    .path(asSent(prefix + path));
            if (in.getQuery() != null) {
                out.query(asSent(in.getQuery()));
            }
            return out;
        };
    }

    private static final java.lang.reflect.Field PATH = requestField("path");
    private static final java.lang.reflect.Field QUERY = requestField("query");

    private static java.lang.reflect.Field requestField(String name) {
        try {
            java.lang.reflect.Field f = org.eclipse.jetty.client.transport.HttpRequest.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Jetty's client reads a path that starts with {@code //} as an authority and a path ({@code //a//b} becomes
     * {@code //b}); its request has no other way to take a path as given than its field.
     */
    private static void keepVerbatim(org.eclipse.jetty.client.Request request, String target) {
        try {
            if (PATH != null && QUERY != null) {
                PATH.set(request, target); // the query with it
                QUERY.set(request, null);
            }
        } catch (IllegalAccessException ignored) {
            // the path as Jetty parsed it
        }
    }

    /**
     * The client's bytes again: Jetty decoded raw UTF-8 in the request line into characters, and its client writes
     * the line one byte a character, so each UTF-8 byte goes back as one character.
     */
    private static String asSent(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
        return s;
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    protected HttpClient newHttpClient() {
        ClientConnector connector = new BackendConnector(loop);
        // share the server's threads, scheduler and buffers: one pool to size, no idle thread pool per backend
        connector.setExecutor(getServer().getThreadPool());
        connector.setScheduler(getServer().getScheduler());
        connector.setByteBufferPool(getServer().getByteBufferPool());
        connector.setTCPNoDelay(true);
        if (spec.tls()) {
            connector.setSslContextFactory(io.cutover.router.tls.BackendTrust.client(spec.name(), spec.ca()));
        }
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // responses are handled on the event loop that read them: the proxy's listeners never block
        transport.setInvocationType(InvocationType.NON_BLOCKING);
        return new HttpClient(transport);
    }

    @Override
    protected void configureHttpClient(HttpClient client) {
        super.configureHttpClient(client);
        client.setMaxConnectionsPerDestination(spec.maxConnections());
        client.setMaxRequestsQueuedPerDestination(maxQueued);
        client.setConnectTimeout(spec.connectTimeout().toMillis());
        client.setIdleTimeout(Math.max(spec.timeout().toMillis(), 30_000));
        client.setUserAgentField(null);
        client.setMaxResponseHeadersSize(maxResponseHead);
        client.setResponseBufferSize(Math.max(client.getResponseBufferSize(), maxResponseHead));
        client.setMaxRequestHeadersSize(maxRequestHead);
        client.setRequestBufferSize(Math.max(client.getRequestBufferSize(), maxRequestHead));
    }

    @Override
    protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request clientToProxyRequest, HttpURI newHttpURI) {
        // timeout is the longest silence from the backend (like nginx proxy_read_timeout), so long
        // streams are fine as long as bytes keep flowing
        // not through java.net.URI (as ProxyHandler does), which refuses what clients send and backends accept: the
        // path and query go on as the client's bytes
        String target = newHttpURI.getPath() + (newHttpURI.getQuery() == null ? "" : "?" + newHttpURI.getQuery());
        org.eclipse.jetty.client.Request out = getHttpClient().newRequest(newHttpURI.getHost(), newHttpURI.getPort())
                .scheme(newHttpURI.getScheme()).method(clientToProxyRequest.getMethod()).path(target)
                .idleTimeout(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!target.equals(out.getPath()) && !target.equals(out.getPath() + "?" + out.getQuery())) {
            keepVerbatim(out, target);
        }
        return out;
    }

    @Override
    protected void copyRequestHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        HttpFields in = clientToProxyRequest.getHeaders();
        Set<String> listedInConnection = connectionListed(in);
        proxyToServerRequest.headers(out -> {
            for (HttpField f : in) {
                if (!HopByHop.dropFromRequest(f, tokenHeader, listedInConnection)) {
                    out.add(f); // the X-Forwarded-* and token headers are set below from what the router saw itself
                }
            }
            if (!in.contains(HttpHeader.HOST) && clientToProxyRequest.getHttpURI().getAuthority() != null) {
                out.add(HttpHeader.HOST, clientToProxyRequest.getHttpURI().getAuthority()); // HTTP/2's :authority
            }
        });
    }

    @Override
    protected void addProxyHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        HttpFields in = clientToProxyRequest.getHeaders();
        String remote = Request.getRemoteAddr(clientToProxyRequest);
        java.net.InetAddress peer = clientToProxyRequest.getConnectionMetaData().getRemoteSocketAddress()
                instanceof java.net.InetSocketAddress a ? a.getAddress() : null;
        String proto = clientToProxyRequest.isSecure() ? "https" : "http";
        Object token = clientToProxyRequest.getAttribute(io.cutover.router.session.SessionTokens.TOKEN_ATTRIBUTE);
        // add, not put: copyRequestHeaders left none of these in, so there is nothing to look up and replace
        proxyToServerRequest.headers(out -> {
            Iterable<HttpField> seen = in.contains(HttpHeader.HOST) || clientToProxyRequest.getHttpURI().getAuthority() == null ? in
                    : HttpFields.build(in).add(HttpHeader.HOST, clientToProxyRequest.getHttpURI().getAuthority()); // HTTP/2
            forwarded.write(seen, remote, forwarded.trusts(peer), proto, out::add);
            if (token != null && tokenHeader != null) {
                out.add(tokenHeader, token.toString());
            }
        });
    }

    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
            Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
            Response proxyToClientResponse, Callback proxyToClientCallback) {
        return new LastWriteListener(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
    }

    /**
     * Writes the chunk that completes a body of known length as the response's last write. {@code ProxyHandler}
     * follows every body with an empty last write instead: a second pass through the server's write path per
     * request that sends nothing.
     */
    private final class LastWriteListener extends ProxyResponseListener {
        private final Response proxyToClientResponse;
        private long remaining = -1; // body bytes still to come (the backend's Content-Length), -1 when unknown
        private boolean lastWritten;

        LastWriteListener(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                          Response proxyToClientResponse, Callback proxyToClientCallback) {
            super(clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
            this.proxyToClientResponse = proxyToClientResponse;
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
            super.onHeaders(serverToProxyResponse);
            remaining = serverToProxyResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response serverToProxyResponse, Content.Chunk chunk, Runnable demander) {
            int length = chunk.remaining();
            if (remaining < 0 || length != remaining) {
                if (remaining > 0) {
                    remaining -= length;
                }
                super.onContent(serverToProxyResponse, chunk, demander);
                return;
            }
            remaining = 0;
            lastWritten = true;
            chunk.retain();
            proxyToClientResponse.write(true, chunk.getByteBuffer(), new Callback() {
                @Override
                public void succeeded() {
                    chunk.release();
                    demander.run(); // lets the client read the end of the response and finish the exchange
                    LastWriteListener.this.succeeded();
                }

                @Override
                public void failed(Throwable failure) {
                    chunk.release();
                    serverToProxyResponse.abort(failure);
                    LastWriteListener.this.failed(failure);
                }

                @Override
                public InvocationType getInvocationType() {
                    return InvocationType.NON_BLOCKING;
                }
            });
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response serverToProxyResponse) {
            if (!lastWritten) {
                super.onSuccess(serverToProxyResponse);
            }
        }
    }

    @Override
    protected void onServerToProxyResponseFailure(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest,
                                                  org.eclipse.jetty.client.Response serverToProxyResponse, Response proxyToClientResponse,
                                                  Callback proxyToClientCallback, Throwable failure) {
        if (proxyToClientResponse.isCommitted()) {
            // the status line is gone: all we can do is cut the client connection so it sees a truncated reply
            proxyToClientCallback.failed(failure);
            return;
        }
        RouteTable.Selection sel = RouteSelectionHandler.selection(clientToProxyRequest);
        BackendFailure answer = BackendFailure.of(sel == null ? "?" : sel.route(), spec.name(), failure);
        LOG.debug("{}", answer.body(), failure);
        proxyToClientResponse.reset();
        answers.count(answer.answer());
        PlainText.send(proxyToClientResponse, answer.status(), answer.body(), proxyToClientCallback);
    }

    private static Set<String> connectionListed(HttpFields headers) {
        Set<String> names = null;
        for (String value : headers.getValuesList(HttpHeader.CONNECTION)) {
            for (String name : value.split(",")) {
                if (names == null) {
                    names = new HashSet<>();
                }
                names.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
