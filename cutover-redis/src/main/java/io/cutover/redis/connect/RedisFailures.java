package io.cutover.redis.connect;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/** Turns Lettuce and network exceptions into one-line {@link CutoverException}s with the right exit code. */
public final class RedisFailures {
    private RedisFailures() {
    }

    /** Describes a failure talking to {@code uri}; {@code role} is "source" or "target". */
    public static CutoverException translate(Throwable e, RedisUri uri, String role) {
        if (e instanceof CutoverException ce) {
            return ce;
        }
        String where = role + " " + uri.address();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("WRONGPASS") || m.contains("invalid password") || m.contains("invalid username-password")
                    || m.contains("NOAUTH") || m.contains("Client sent AUTH, but no password is set")
                    || m.contains("called without any password configured")
                    || m.contains("AUTH failed")) {
                return new CutoverException(ExitCode.USAGE, where + ": authentication failed: "
                        + firstLine(m).replaceAll("^.*?(WRONGPASS|NOAUTH|ERR)\\s*", "$1 "), e);
            }
            if (t instanceof SSLException || m.contains("SSLHandshake") || m.contains("PKIX") || m.contains("certificate")) {
                return new CutoverException(ExitCode.USAGE, where + ": TLS handshake failed: " + tlsReason(m), e);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new CutoverException(ExitCode.RUNTIME, where + ": unknown host " + uri.host(), e);
            }
            if (t instanceof ConnectException || m.contains("Connection refused")) {
                return new CutoverException(ExitCode.RUNTIME, where + ": cannot connect (connection refused)", e);
            }
            if (m.contains("SELECT is not allowed in cluster mode")) {
                return new CutoverException(ExitCode.USAGE, where + " is a cluster with database 0 only (the URI names "
                        + uri.db() + ")", e);
            }
            if (m.startsWith("ERR DB index is out of range") || m.contains("invalid DB index")) {
                return new CutoverException(ExitCode.USAGE, where + ": database " + uri.db() + " does not exist on this server", e);
            }
        }
        return new CutoverException(ExitCode.RUNTIME, where + ": " + firstLine(String.valueOf(rootMessage(e))), e);
    }

    /** Says what a JSSE handshake failure means for the user, in one line. */
    private static String tlsReason(String m) {
        if (m.contains("PKIX") || m.contains("unable to find valid certification path")) {
            return "the server certificate is not trusted (give its CA with --tls-ca, or --tls-insecure to skip checks)";
        }
        if (m.contains("No subject alternative") || m.contains("No name matching")) {
            return "the server certificate does not match the host name (" + firstLine(m) + ")";
        }
        if (m.contains("bad_certificate") || m.contains("certificate_required")) {
            return "the server wants a client certificate (--tls-cert/--tls-key) it trusts";
        }
        return firstLine(m);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
