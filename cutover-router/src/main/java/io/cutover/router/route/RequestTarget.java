package io.cutover.router.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A request target as the client sent it, what is passed on, and the normal form routes are matched against.
 *
 * <p>The bytes passed on are the client's own: escapes, {@code //}, dot segments and raw UTF-8 reach the backend
 * as they came, as they would through nginx. Routing uses the path's normal form (RFC 3986 §6.2.2): escapes of
 * unreserved characters ({@code %41}, {@code %2e}…) decoded, the hex digits of the other escapes in upper case, and
 * dot segments removed, so a route decides on the path the backend will resolve: {@code /api/../admin} routes as
 * {@code /admin}, {@code /shops/7/../42/menu} as {@code /shops/42/menu}. {@code //} and {@code %2F} stay as they are.
 *
 * @param form      which of the RFC 9112 §3.2 forms the client used
 * @param forwarded the origin-form target to send, each byte as one char (ISO-8859-1), or {@code *}
 * @param authority an absolute-form target's host[:port], which replaces the Host header (RFC 9112 §3.2.2); else null
 * @param path      the normal form of the path that routes are matched against
 */
public record RequestTarget(Form form, String forwarded, String authority, String path) {
    /** The request-target forms a reverse proxy serves; CONNECT's authority-form is not one of them. */
    public enum Form { ORIGIN, ABSOLUTE, ASTERISK }

    /**
     * Reads the target of a request line from {@code bytes[from, to)}; null when it is none of the forms a reverse
     * proxy serves ({@code *} is only accepted with {@code OPTIONS}).
     */
    public static RequestTarget parse(String method, byte[] bytes, int from, int to) {
        String raw = new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        if (raw.equals("*")) {
            return method.equals("OPTIONS") ? new RequestTarget(Form.ASTERISK, "*", null, "*") : null;
        }
        if (raw.startsWith("/")) {
            return new RequestTarget(Form.ORIGIN, raw, null, normalPath(utf8(raw, pathEnd(raw))));
        }
        int schemeEnd = raw.indexOf("://");
        if (schemeEnd <= 0) {
            return null;
        }
        String scheme = raw.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < raw.length() && "/?#".indexOf(raw.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = raw.substring(authorityStart, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1); // user info never belongs in a Host header
        }
        if (authority.isEmpty()) {
            return null;
        }
        String rest = raw.substring(authorityEnd);
        String origin = rest.startsWith("/") ? rest : "/" + rest;
        return new RequestTarget(Form.ABSOLUTE, origin, authority, normalPath(utf8(origin, pathEnd(origin))));
    }

    /** The routing form of a path the handler chain got from Jetty (raw UTF-8 already decoded into characters). */
    public static String routingPath(String path) {
        return normalPath(path);
    }

    /**
     * The target to send to a backend whose URL has the path {@code prefix} ("" for none). Under a prefix, dot
     * segments are resolved here, so that {@code /../} cannot climb out of it on the backend.
     */
    public String forwardedUnder(String prefix) {
        if (form == Form.ASTERISK || prefix.isEmpty()) {
            return forwarded;
        }
        int end = pathEnd(forwarded);
        String p = forwarded.substring(0, end);
        return prefix + (p.contains("/.") ? removeDotSegments(p) : p) + forwarded.substring(end);
    }

    private static int pathEnd(String target) {
        int end = target.length();
        int q = target.indexOf('?');
        if (q >= 0) {
            end = q;
        }
        int h = target.indexOf('#');
        return h >= 0 && h < end ? h : end;
    }

    /** The first {@code end} chars of a one-byte-a-char string, read as UTF-8 (as the backend will). */
    private static String utf8(String latin1, int end) {
        for (int i = 0; i < end; i++) {
            if (latin1.charAt(i) >= 0x80) {
                return new String(latin1.substring(0, end).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return latin1.substring(0, end);
    }

    /** RFC 3986 §6.2.2: percent-encoding normalised (unreserved decoded, hex upper case), then dot segments removed. */
    static String normalPath(String path) {
        String p = path;
        if (p.indexOf('%') >= 0) {
            StringBuilder s = new StringBuilder(p.length());
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '%' && i + 2 < p.length() && hex(p.charAt(i + 1)) >= 0 && hex(p.charAt(i + 2)) >= 0) {
                    char d = (char) (hex(p.charAt(i + 1)) * 16 + hex(p.charAt(i + 2)));
                    if (unreserved(d)) {
                        s.append(d);
                    } else {
                        s.append('%').append(Character.toUpperCase(p.charAt(i + 1))).append(Character.toUpperCase(p.charAt(i + 2)));
                    }
                    i += 2;
                } else {
                    s.append(c);
                }
            }
            p = s.toString();
        }
        return p.contains("/.") ? removeDotSegments(p) : p;
    }

    /** RFC 3986 §5.2.4, on whole segments. */
    static String removeDotSegments(String path) {
        Deque<String> out = new ArrayDeque<>();
        String[] segments = path.split("/", -1);
        // segments[0] is what comes before the first '/': empty for an absolute path
        for (int i = 1; i < segments.length; i++) {
            String seg = segments[i];
            boolean last = i == segments.length - 1;
            if (seg.equals(".")) {
                if (last) {
                    out.addLast("");
                }
            } else if (seg.equals("..")) {
                out.pollLast();
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(seg);
            }
        }
        StringBuilder s = new StringBuilder(path.length()).append(segments[0]);
        for (String seg : out) {
            s.append('/').append(seg);
        }
        return s.length() == 0 ? "/" : s.toString();
    }

    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
