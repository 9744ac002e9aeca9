package io.cutover.router.proxy;

import org.eclipse.jetty.http.HttpHeader;

import java.util.EnumSet;
import java.util.Set;

/** Headers about one connection, not the message: a proxy drops them (and any header {@code Connection} names). */
final class HopByHop {
    /** The hop-by-hop headers but {@code Transfer-Encoding}, which the forwarding path passes on with the body's framing. */
    static final Set<HttpHeader> HEADERS = EnumSet.of(HttpHeader.CONNECTION, HttpHeader.KEEP_ALIVE,
            HttpHeader.PROXY_AUTHORIZATION, HttpHeader.PROXY_AUTHENTICATE, HttpHeader.PROXY_CONNECTION, HttpHeader.TE,
            HttpHeader.TRAILER, HttpHeader.UPGRADE);

    private HopByHop() {
    }
}
