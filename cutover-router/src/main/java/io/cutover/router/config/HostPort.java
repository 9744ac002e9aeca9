package io.cutover.router.config;

import io.cutover.core.error.CutoverException;

/** A listen address such as {@code 127.0.0.1:8080} or {@code :8080} (all interfaces); port 0 picks a free one. */
public record HostPort(String host, int port) {

    /** Parses {@code text}; {@code what} names the setting in the error. */
    public static HostPort parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw CutoverException.usage(what + ": missing (use host:port, e.g. 127.0.0.1:8080)");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw CutoverException.usage(what + ": '" + text + "' is not host:port");
        }
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw CutoverException.usage(what + ": '" + text + "' has no numeric port");
        }
        if (port < 0 || port > 65535) {
            throw CutoverException.usage(what + ": port " + port + " is out of range");
        }
        return new HostPort(host.isEmpty() ? null : host, port);
    }

    @Override
    public String toString() {
        return (host == null ? "" : host) + ":" + port;
    }
}
