package io.cutover.router.config;

import io.cutover.core.config.ConfigLoader;
import io.cutover.core.error.CutoverException;
import io.cutover.core.time.Durations;
import io.cutover.router.tls.PemKeyPair;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The validated router configuration: every regex compiled, every name resolved, every duration parsed, the TLS
 * certificate pair and CA files read and checked. Building one never touches the network or the lists;
 * {@code check.RouterCheck} does that.
 */
public record RouterSettings(
        HostPort listen,
        TlsSpec listenTls,
        HostPort admin,
        Map<String, BackendSpec> backends,
        String defaultBackend,
        Map<String, ListSpec> lists,
        List<RouteSpec> routes,
        SessionSpec session,
        LimitsSpec limits,
        Duration shutdownGrace,
        List<Cidr> trustedProxies,
        Path baseDir) {

    private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** The TLS listener, with the certificate pair as read and checked at load. */
    public record TlsSpec(HostPort address, Path cert, Path key, Duration refresh, PemKeyPair pair) {
    }

    /** An upstream service and its connection pool limits. */
    public record BackendSpec(String name, URI url, int maxConnections, Duration connectTimeout, Duration timeout,
                              List<java.security.cert.X509Certificate> ca) {
        /** Whether the backend is reached over TLS ({@code https://}). */
        public boolean tls() {
            return url.getScheme().equals("https");
        }
    }

    /** An id list source ({@code file:} path or http(s) URL), its refresh period and shrink guard (0–1). */
    public record ListSpec(String name, String source, Duration refresh, double maxShrink) {
    }

    /** A path rule. */
    public record RouteSpec(String name, Pattern path, String backend, List<ConditionSpec> conditions, ShadowSpec shadow) {
        /** The route's percentage condition that has a {@code promote:}, or null. */
        public ConditionSpec promoted() {
            return conditions.stream().filter(c -> c.promote() != null).findFirst().orElse(null);
        }
    }

    /** A condition on a named group: in a list, or within a sticky percentage (which may be promoted). */
    public record ConditionSpec(String group, String list, Double percent, PromoteSpec promote) {
    }

    /**
     * Shadow traffic: {@code percent} of the route's requests (reads only unless {@code writes}) also go to {@code to};
     * the answers are compared, leaving out {@code ignore} JSON paths and the fields learned to be noisy.
     */
    public record ShadowSpec(String to, double percent, boolean writes, List<String> ignore, List<String> headers,
                             Path diffs, int maxDiffs, Duration timeout, int queue, double noiseSample) {
    }

    /** Automatic promotion of a percentage: the bounds, and the file the current percentage survives a restart in. */
    public record PromoteSpec(double step, Duration every, double max5xxRatio, Duration maxP99, double maxDiffRatio,
                              int minRequests, Path state) {
    }

    /** What to do when the session service fails. */
    public enum OnError { ANONYMOUS, REJECT }

    /** The gateway-distributed session. */
    public record SessionSpec(String cookie, String resolve, Duration cache, Duration timeout, OnError onError,
                              TokenSpec token, Set<String> forBackends) {
    }

    /** The signed token settings; {@link #toString()} hides the key. */
    public record TokenSpec(String header, String issuer, String audience, Duration ttl, String key, String alg) {
        @Override
        public String toString() {
            return "TokenSpec[header=" + header + ", issuer=" + issuer + ", audience=" + audience + ", ttl=" + ttl
                    + ", alg=" + alg + ", key=***]";
        }
    }

    /** Global resource limits. */
    public record LimitsSpec(int maxInflight, int maxClientConnections, Duration clientIdleTimeout,
                             Duration clientHeaderTimeout, Duration retryAfter, int maxRequestHead, int maxResponseHead) {
    }

    /** Loads and validates {@code file}; every problem is a usage error (exit 2) with one clear line. */
    public static RouterSettings load(Path file) {
        RouterConfig config = ConfigLoader.fromSystem().load(file, RouterConfig.class);
        Path dir = file.toAbsolutePath().getParent();
        return from(config, dir, file.toString());
    }

    /** Validates {@code c}; {@code baseDir} resolves relative {@code file:} lists, {@code source} prefixes errors. */
    public static RouterSettings from(RouterConfig c, Path baseDir, String source) {
        String p = source + ": ";
        HostPort listen = HostPort.parse(c.listen(), p + "listen");
        HostPort admin = c.admin() == null ? null : HostPort.parse(c.admin(), p + "admin");
        TlsSpec tls = c.listenTls() == null ? null : tls(p + "listen_tls", c.listenTls(), baseDir);

        if (c.backends() == null || c.backends().isEmpty()) {
            throw CutoverException.usage(p + "backends: at least one backend is needed");
        }
        Map<String, BackendSpec> backends = new LinkedHashMap<>();
        c.backends().forEach((name, b) -> backends.put(name, backend(p, name, b, baseDir)));

        String def = c.defaultBackend();
        if (def == null) {
            throw CutoverException.usage(p + "default: missing (name the backend that gets unmatched requests)");
        }
        requireBackend(p + "default", def, backends);

        Map<String, ListSpec> lists = new LinkedHashMap<>();
        if (c.lists() != null) {
            c.lists().forEach((name, l) -> lists.put(name, list(p, name, l)));
        }

        List<RouteSpec> routes = new ArrayList<>();
        Set<String> routeNames = new HashSet<>();
        List<RouterConfig.Route> rawRoutes = c.routes() == null ? List.of() : c.routes();
        for (int i = 0; i < rawRoutes.size(); i++) {
            RouteSpec r = route(p + "routes[" + i + "]", rawRoutes.get(i), backends, lists, baseDir);
            if (r.name().equals("default")) {
                throw CutoverException.usage(p + "routes[" + i + "]: 'default' is reserved for unmatched requests; "
                        + "choose another route name");
            }
            if (!routeNames.add(r.name())) {
                throw CutoverException.usage(p + "routes[" + i + "]: route name '" + r.name() + "' is used twice");
            }
            routes.add(r);
        }

        SessionSpec session = c.session() == null ? null : session(p + "session", c.session(), backends);
        LimitsSpec limits = limits(p + "limits", c.limits());
        Duration grace = duration(c.shutdownGrace(), "20s", p + "shutdown_grace");
        List<Cidr> trusted = new ArrayList<>();
        if (c.trustedProxies() != null) {
            for (int i = 0; i < c.trustedProxies().size(); i++) {
                trusted.add(Cidr.parse(c.trustedProxies().get(i), p + "trusted_proxies[" + i + "]"));
            }
        }
        return new RouterSettings(listen, tls, admin, Map.copyOf(backends), def, lists, List.copyOf(routes), session,
                limits, grace, List.copyOf(trusted), baseDir);
    }

    private static TlsSpec tls(String what, RouterConfig.ListenTls t, Path baseDir) {
        HostPort address = HostPort.parse(t.address(), what + ".address");
        if (t.cert() == null || t.cert().isBlank()) {
            throw CutoverException.usage(what + ".cert: missing (a PEM file: the certificate, then its chain)");
        }
        if (t.key() == null || t.key().isBlank()) {
            throw CutoverException.usage(what + ".key: missing (a PEM file holding the private key)");
        }
        Path cert = baseDir.resolve(t.cert());
        Path key = baseDir.resolve(t.key());
        PemKeyPair pair;
        try {
            pair = PemKeyPair.read(cert, key);
        } catch (PemKeyPair.BadPemException e) {
            throw CutoverException.usage(what + ": " + e.getMessage());
        }
        return new TlsSpec(address, cert, key, duration(t.refresh(), "1m", what + ".refresh"), pair);
    }

    private static BackendSpec backend(String p, String name, RouterConfig.Backend b, Path baseDir) {
        String what = p + "backends." + name;
        if (!NAME.matcher(name).matches()) {
            throw CutoverException.usage(what + ": a backend name may use letters, digits, '_', '.', '-'");
        }
        if (b == null || b.url() == null) {
            throw CutoverException.usage(what + ".url: missing");
        }
        URI url = httpUrl(b.url(), what + ".url");
        int max = b.maxConnections() == null ? 256 : b.maxConnections();
        if (max < 1) {
            throw CutoverException.usage(what + ".max_connections: must be at least 1, got " + max);
        }
        List<java.security.cert.X509Certificate> ca = null;
        if (b.ca() != null) {
            if (!url.getScheme().equals("https")) {
                throw CutoverException.usage(what + ".ca: only an https:// backend takes a CA file");
            }
            try {
                ca = PemKeyPair.certificates(PemKeyPair.text(baseDir.resolve(b.ca()), "CA"), baseDir.resolve(b.ca()));
            } catch (PemKeyPair.BadPemException e) {
                throw CutoverException.usage(what + ".ca: " + e.getMessage());
            }
        }
        return new BackendSpec(name, url, max, duration(b.connectTimeout(), "2s", what + ".connect_timeout"),
                duration(b.timeout(), "30s", what + ".timeout"), ca);
    }

    private static ListSpec list(String p, String name, RouterConfig.ListSource l) {
        String what = p + "lists." + name;
        if (l == null || l.source() == null || l.source().isBlank()) {
            throw CutoverException.usage(what + ".source: missing (file:PATH or an http(s) URL)");
        }
        String src = l.source().trim();
        if (src.startsWith("http://") || src.startsWith("https://")) {
            httpUrl(src, what + ".source");
        } else if (!src.startsWith("file:") || src.length() == "file:".length()) {
            throw CutoverException.usage(what + ".source: '" + src + "' is neither file:PATH nor an http(s) URL");
        }
        Duration refresh = duration(l.refresh(), "30s", what + ".refresh");
        if (refresh.toMillis() < 10) {
            throw CutoverException.usage(what + ".refresh: must be at least 10ms");
        }
        return new ListSpec(name, src, refresh, percent(l.maxShrink(), "50%", what + ".max_shrink") / 100.0);
    }

    private static ShadowSpec shadow(String what, RouterConfig.Shadow s, String primary, Map<String, BackendSpec> backends,
                                     Path baseDir) {
        if (s.to() == null) {
            throw CutoverException.usage(what + ".to: missing (the backend that gets the copies)");
        }
        requireBackend(what + ".to", s.to(), backends);
        if (s.to().equals(primary)) {
            throw CutoverException.usage(what + ".to: '" + s.to() + "' is the route's own backend; shadow to the other one");
        }
        double percent = s.percent() == null ? 100 : s.percent();
        if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
            throw CutoverException.usage(what + ".percent: must be between 0 and 100, got " + s.percent());
        }
        List<String> ignore = s.ignore() == null ? List.of() : List.copyOf(s.ignore());
        for (int i = 0; i < ignore.size(); i++) {
            if (!ignore.get(i).startsWith("$")) {
                throw CutoverException.usage(what + ".ignore[" + i + "]: '" + ignore.get(i)
                        + "' is not a JSON path (start it with $, e.g. $.generated_at or $.items[*].id)");
            }
        }
        if (s.diffs() == null || s.diffs().isBlank()) {
            throw CutoverException.usage(what + ".diffs: missing (the JSONL file differing answers are written to)");
        }
        int maxDiffs = s.maxDiffs() == null ? 1000 : s.maxDiffs();
        int queue = s.queue() == null ? 1000 : s.queue();
        if (maxDiffs < 0 || queue < 1) {
            throw CutoverException.usage(what + ": max_diffs must be at least 0 and queue at least 1");
        }
        return new ShadowSpec(s.to(), percent, Boolean.TRUE.equals(s.writes()), ignore,
                s.headers() == null ? List.of() : List.copyOf(s.headers()), baseDir.resolve(s.diffs()), maxDiffs,
                duration(s.timeout(), "5s", what + ".timeout"), queue,
                percent(s.noiseSample(), "10%", what + ".noise_sample") / 100.0);
    }

    private static PromoteSpec promote(String what, RouterConfig.Promote p, Path baseDir, String route) {
        double step = p.step() == null ? 10 : p.step();
        if (!(step > 0 && step <= 100)) {
            throw CutoverException.usage(what + ".step: must be above 0 and at most 100, got " + p.step());
        }
        Duration every = duration(p.every(), "10m", what + ".every");
        if (every.toMillis() < 10) {
            throw CutoverException.usage(what + ".every: must be at least 10ms");
        }
        double max5xx = p.max5xxRatio() == null ? 0.01 : p.max5xxRatio();
        double maxDiff = p.maxDiffRatio() == null ? 0.001 : p.maxDiffRatio();
        if (max5xx < 0 || max5xx > 1 || maxDiff < 0 || maxDiff > 1) {
            throw CutoverException.usage(what + ": max_5xx_ratio and max_diff_ratio are ratios between 0 and 1");
        }
        int minRequests = p.minRequests() == null ? 20 : p.minRequests();
        String state = p.state() == null ? "promote-" + route + ".state" : p.state();
        return new PromoteSpec(step, every, max5xx, duration(p.maxP99(), "500ms", what + ".max_p99"), maxDiff,
                Math.max(1, minRequests), baseDir.resolve(state));
    }

    private static RouteSpec route(String what, RouterConfig.Route r, Map<String, BackendSpec> backends,
                                   Map<String, ListSpec> lists, Path baseDir) {
        if (r == null || r.name() == null || r.name().isBlank()) {
            throw CutoverException.usage(what + ".name: missing");
        }
        what = what + " '" + r.name() + "'";
        if (r.path() == null) {
            throw CutoverException.usage(what + ".path: missing (a regex matched against the request path)");
        }
        Pattern path;
        try {
            path = Pattern.compile(r.path());
        } catch (PatternSyntaxException e) {
            throw CutoverException.usage(what + ".path: regex does not compile: "
                    + e.getDescription() + " near index " + e.getIndex() + " of '" + r.path() + "'");
        }
        if (r.to() == null) {
            throw CutoverException.usage(what + ".to: missing (a backend name)");
        }
        requireBackend(what + ".to", r.to(), backends);
        List<ConditionSpec> conditions = new ArrayList<>();
        if (r.when() != null) {
            Set<String> groups = namedGroups(r.path());
            for (Map.Entry<String, RouterConfig.Condition> e : r.when().entrySet()) {
                String group = e.getKey();
                String cw = what + ".when." + group;
                if (!groups.contains(group)) {
                    throw CutoverException.usage(cw + ": the path regex has no named group (?<" + group + ">...)");
                }
                RouterConfig.Condition cond = e.getValue();
                if (cond == null || (cond.in() == null) == (cond.percent() == null)) {
                    throw CutoverException.usage(cw + ": give exactly one of 'in: LIST' or 'percent: N'");
                }
                if (cond.in() != null && !lists.containsKey(cond.in())) {
                    throw CutoverException.usage(cw + ".in: unknown list '" + cond.in() + "' (known: "
                            + String.join(", ", lists.keySet()) + ")");
                }
                if (cond.percent() != null && (cond.percent() < 0 || cond.percent() > 100 || cond.percent().isNaN())) {
                    throw CutoverException.usage(cw + ".percent: must be between 0 and 100, got " + cond.percent());
                }
                PromoteSpec promote = null;
                if (cond.promote() != null) {
                    if (cond.percent() == null) {
                        throw CutoverException.usage(cw + ".promote: only a 'percent:' rollout can be promoted");
                    }
                    promote = promote(cw + ".promote", cond.promote(), baseDir, r.name());
                }
                conditions.add(new ConditionSpec(group, cond.in(), cond.percent(), promote));
            }
        }
        if (conditions.stream().filter(c -> c.promote() != null).count() > 1) {
            throw CutoverException.usage(what + ".when: only one condition of a route can be promoted");
        }
        ShadowSpec shadow = r.shadow() == null ? null : shadow(what + ".shadow", r.shadow(), r.to(), backends, baseDir);
        return new RouteSpec(r.name(), path, r.to(), List.copyOf(conditions), shadow);
    }

    private static SessionSpec session(String what, RouterConfig.Session s, Map<String, BackendSpec> backends) {
        if (s.cookie() == null || s.cookie().isBlank()) {
            throw CutoverException.usage(what + ".cookie: missing (the session cookie's name)");
        }
        if (s.resolve() == null || !s.resolve().contains("{cookie}")) {
            throw CutoverException.usage(what + ".resolve: missing or without {cookie} (e.g. http://host/sessions/{cookie})");
        }
        httpUrl(s.resolve().replace("{cookie}", "x"), what + ".resolve");
        OnError onError;
        String oe = s.onError() == null ? "anonymous" : s.onError();
        switch (oe) {
            case "anonymous" -> onError = OnError.ANONYMOUS;
            case "reject" -> onError = OnError.REJECT;
            default -> throw CutoverException.usage(what + ".on_error: expected anonymous or reject, got '" + oe + "'");
        }
        RouterConfig.Token t = s.token();
        if (t == null) {
            throw CutoverException.usage(what + ".token: missing (header, issuer, audience, ttl, key)");
        }
        String alg = t.alg() == null ? "HS256" : t.alg().toUpperCase();
        if (!alg.equals("HS256") && !alg.equals("ES256")) {
            throw CutoverException.usage(what + ".token.alg: expected HS256 or ES256, got '" + t.alg() + "'");
        }
        if (t.key() == null || t.key().isBlank()) {
            throw CutoverException.usage(what + ".token.key: missing or empty (set it from an environment variable: key: \"${SESSION_JWT_KEY}\")");
        }
        TokenSpec token = new TokenSpec(t.header() == null ? "X-Session-Token" : t.header(),
                t.issuer() == null ? "cutover" : t.issuer(), t.audience() == null ? "cutover" : t.audience(),
                duration(t.ttl(), "60s", what + ".token.ttl"), t.key(), alg);
        Set<String> forBackends = new java.util.LinkedHashSet<>();
        if (s.forBackends() == null || s.forBackends().isEmpty()) {
            throw CutoverException.usage(what + ".for: missing (the backends that receive the token)");
        }
        for (String b : s.forBackends()) {
            requireBackend(what + ".for", b, backends);
            forBackends.add(b);
        }
        return new SessionSpec(s.cookie(), s.resolve(), duration(s.cache(), "30s", what + ".cache"),
                duration(s.timeout(), "2s", what + ".timeout"), onError, token, Set.copyOf(forBackends));
    }

    private static LimitsSpec limits(String what, RouterConfig.Limits l) {
        RouterConfig.Limits x = l == null ? new RouterConfig.Limits(null, null, null, null, null, null, null) : l;
        int inflight = x.maxInflight() == null ? 10_000 : x.maxInflight();
        int conns = x.maxClientConnections() == null ? 10_000 : x.maxClientConnections();
        if (inflight < 1) {
            throw CutoverException.usage(what + ".max_inflight: must be at least 1, got " + inflight);
        }
        if (conns < 1) {
            throw CutoverException.usage(what + ".max_client_connections: must be at least 1, got " + conns);
        }
        return new LimitsSpec(inflight, conns, duration(x.clientIdleTimeout(), "60s", what + ".client_idle_timeout"),
                duration(x.clientHeaderTimeout(), "10s", what + ".client_header_timeout"),
                duration(x.retryAfter(), "1s", what + ".retry_after"),
                size(x.maxRequestHead(), "32KB", what + ".max_request_head"),
                size(x.maxResponseHead(), "32KB", what + ".max_response_head"));
    }

    private static void requireBackend(String what, String name, Map<String, BackendSpec> backends) {
        if (!backends.containsKey(name)) {
            throw CutoverException.usage(what + ": unknown backend '" + name + "' (known: "
                    + String.join(", ", backends.keySet()) + ")");
        }
    }

    private static URI httpUrl(String text, String what) {
        try {
            URI u = new URI(text);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw CutoverException.usage(what + ": '" + text + "' is not an http(s) URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw CutoverException.usage(what + ": '" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static Duration duration(String text, String def, String what) {
        Duration d = Durations.parse(text == null ? def : text, what);
        if (d.isNegative()) {
            throw CutoverException.usage(what + ": must not be negative");
        }
        return d;
    }

    private static final Pattern SIZE = Pattern.compile("(?i)\\s*([0-9]+)\\s*(b|kb|k|kib|mb|m|mib)?\\s*");

    /** A head size such as {@code 32KB} (1024 bytes a KB), between 1 KB and 1 MB. */
    private static int size(String text, String def, String what) {
        String t = text == null ? def : text;
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw CutoverException.usage(what + ": not a size: '" + t + "' (e.g. 32KB)");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        long n = Long.parseLong(m.group(1)) * (unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 * 1024 : 1);
        if (n < 1024 || n > 1024 * 1024) {
            throw CutoverException.usage(what + ": must be between 1KB and 1MB, got " + t);
        }
        return (int) n;
    }

    private static double percent(String text, String def, String what) {
        String s = (text == null ? def : text).trim();
        if (s.endsWith("%")) {
            s = s.substring(0, s.length() - 1).trim();
        }
        try {
            double v = Double.parseDouble(s);
            if (v < 0 || v > 100) {
                throw CutoverException.usage(what + ": must be between 0% and 100%, got " + text);
            }
            return v;
        } catch (NumberFormatException e) {
            throw CutoverException.usage(what + ": not a percentage: '" + text + "' (e.g. 50%)");
        }
    }

    /** The named groups declared in a regex (Java 17 has no API for this). */
    static Set<String> namedGroups(String regex) {
        Set<String> names = new HashSet<>();
        Matcher m = NAMED_GROUP.matcher(regex);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
