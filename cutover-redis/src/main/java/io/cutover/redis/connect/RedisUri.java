package io.cutover.redis.connect;

import io.cutover.core.error.CutoverException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a Redis server is: {@code redis://[user[:password]@]host[:port][/db]}, {@code rediss://} for TLS.
 * {@link #toString()} never shows the password.
 *
 * @param tls      whether the connection uses TLS ({@code rediss://})
 * @param user     ACL user name, or null for the default user
 * @param password password, or null for none
 * @param host     host name or address
 * @param port     TCP port (default 6379)
 * @param db       database index given in the path, or -1 when none was given
 */
public record RedisUri(boolean tls, String user, String password, String host, int port, int db) {

    /**
     * Parses {@code text}; when it has no password, {@code passwordFallback} (e.g. from
     * {@code CUTOVER_SOURCE_PASSWORD}) is used. {@code role} names the option in errors ("--source").
     */
    public static RedisUri parse(String text, String passwordFallback, String role) {
        if (text == null || text.isBlank()) {
            throw CutoverException.usage(role + ": missing Redis URI (redis://[user[:password]@]host[:port][/db])");
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw bad(role, text, "not a URI");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
            throw bad(role, text, "the scheme must be redis:// or rediss://");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw bad(role, text, "no host");
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        if (port < 1 || port > 65535) {
            throw bad(role, text, "port out of range");
        }
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                user = decode(info);
            } else {
                user = colon == 0 ? null : decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
            if (user != null && user.isEmpty()) {
                user = null;
            }
        }
        if ((password == null || password.isEmpty()) && passwordFallback != null && !passwordFallback.isEmpty()) {
            password = passwordFallback;
        }
        int db = -1;
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            String p = path.substring(1);
            if (!p.matches("[0-9]{1,5}")) {
                throw bad(role, text, "the path must be a database number, got '/" + p + "'");
            }
            db = Integer.parseInt(p);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw bad(role, text, "query parameters are not supported; use command options");
        }
        return new RedisUri(scheme.equalsIgnoreCase("rediss"), user, password, host, port, db);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static CutoverException bad(String role, String text, String why) {
        return CutoverException.usage(role + ": bad Redis URI '" + io.cutover.core.error.Secrets.redact(text) + "': " + why);
    }

    /** Another server (a cluster's primary) with the same scheme and credentials, database 0. */
    public RedisUri withAddress(String newHost, int newPort) {
        return new RedisUri(tls, user, password, newHost, newPort, 0);
    }

    /** The same server with another database index. */
    public RedisUri withDb(int newDb) {
        return new RedisUri(tls, user, password, host, port, newDb);
    }

    /** The database given in the URI, or 0. */
    public int dbOrZero() {
        return Math.max(db, 0);
    }

    /** host:port, for messages. */
    public String address() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://")
                + (user != null ? user + (password != null ? ":***" : "") + "@" : password != null ? ":***@" : "")
                + address() + (db >= 0 ? "/" + db : "");
    }
}
