package io.cutover.router.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * The router's YAML configuration as written by the user (strings for durations and sizes);
 * {@link RouterSettings#from} validates it into the runtime form.
 */
public record RouterConfig(
        String listen,
        ListenTls listenTls,
        String admin,
        Map<String, Backend> backends,
        @JsonProperty("default") String defaultBackend,
        Map<String, ListSource> lists,
        List<Route> routes,
        Session session,
        Limits limits,
        String shutdownGrace,
        List<String> trustedProxies) {

    /** The TLS listener: HTTP/2 and HTTP/1.1 by ALPN; {@code cert} and {@code key} are PEM files checked every {@code refresh}. */
    public record ListenTls(String address, String cert, String key, String refresh) {
    }

    /** One upstream service. */
    public record Backend(String url, Integer maxConnections, String connectTimeout, String timeout) {
    }

    /** An id list: where it comes from, how often it is reloaded, how much it may shrink at once. */
    public record ListSource(String source, String refresh, String maxShrink) {
    }

    /** A path rule; {@code when} maps a named regex group to a condition. */
    public record Route(String name, String path, String to, Map<String, Condition> when) {
    }

    /** Exactly one of {@code in} (a list name) or {@code percent} (sticky share, 0–100). */
    public record Condition(String in, Double percent) {
    }

    /** The gateway-distributed session. */
    public record Session(String cookie, String resolve, String cache, String timeout, String onError, Token token,
                          @JsonProperty("for") List<String> forBackends) {
    }

    /** The signed token passed to the new services. */
    public record Token(String header, String issuer, String audience, String ttl, String key, String alg) {
    }

    /** Resource limits. */
    public record Limits(Integer maxInflight, Integer maxClientConnections, String clientIdleTimeout,
                         String clientHeaderTimeout, String retryAfter, String maxRequestHead, String maxResponseHead) {
    }
}
