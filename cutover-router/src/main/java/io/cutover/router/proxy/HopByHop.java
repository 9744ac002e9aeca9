package io.cutover.router.proxy;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** Headers about one connection, not the message: a proxy drops them (and any header {@code Connection} names). */
final class HopByHop {
    /** The hop-by-hop headers but {@code Transfer-Encoding}, which the forwarding path passes on with the body's framing. */
    static final Set<HttpHeader> HEADERS = EnumSet.of(HttpHeader.CONNECTION, HttpHeader.KEEP_ALIVE,
            HttpHeader.PROXY_AUTHORIZATION, HttpHeader.PROXY_AUTHENTICATE, HttpHeader.PROXY_CONNECTION, HttpHeader.TE,
            HttpHeader.TRAILER, HttpHeader.UPGRADE);

    /** Those a request never takes to a backend: Transfer-Encoding too, as bodies are framed anew (or not forwarded). */
    private static final Set<HttpHeader> REQUEST = EnumSet.of(HttpHeader.TRANSFER_ENCODING);

    static {
        REQUEST.addAll(HEADERS);
    }

    private HopByHop() {
    }

    /**
     * Whether a client's request header stays out of what a backend is sent: a hop-by-hop header, one that
     * {@code Connection} names ({@code connectionListed}, lower case, or null), an {@code X-Forwarded-*} or {@code Forwarded} header
     * ({@link ForwardedHeaders} writes those) or the session token header ({@code tokenHeader}, lower case, or null: only the router
     * sets it).
     */
    static boolean dropFromRequest(HttpField field, String tokenHeader, Collection<String> connectionListed) {
        HttpHeader h = field.getHeader();
        if (h != null && REQUEST.contains(h)) {
            return true;
        }
        String lower = field.getLowerCaseName();
        return ForwardedHeaders.decides(field) || lower.equals(tokenHeader)
                || (connectionListed != null && connectionListed.contains(lower));
    }
}
