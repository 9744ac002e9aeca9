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
    public record Backend(String url, Integer maxConnections, String connectTimeout, String timeout, String ca) {
    }

    /** An id list: where it comes from, how often it is reloaded, how much it may shrink at once. */
    public record ListSource(String source, String refresh, String maxShrink) {
    }

    /** A path rule; {@code when} maps a named regex group to a condition. */
    public record Route(String name, String path, String to, Map<String, Condition> when, Shadow shadow) {
    }

    /** A copy of a share of the route's requests to another backend, its answers compared with the primary's. */
    public record Shadow(String to, Double percent, Boolean writes, List<String> ignore, List<String> headers,
                         String diffs, Integer maxDiffs, String timeout, Integer queue, String noiseSample) {
    }

    /** Raising a percentage rollout step by step while the new backend stays within bounds. */
    public record Promote(Double step, String every, @JsonProperty("max_5xx_ratio") Double max5xxRatio, String maxP99, Double maxDiffRatio,
                          Integer minRequests, String state) {
    }

    /** Exactly one of {@code in} (a list name) or {@code percent} (sticky share, 0–100). */
    public record Condition(String in, Double percent, Promote promote) {
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
