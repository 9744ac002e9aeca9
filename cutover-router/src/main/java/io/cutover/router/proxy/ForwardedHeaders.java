package io.cutover.router.proxy;

import io.cutover.router.config.Cidr;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The {@code X-Forwarded-*} and {@code Forwarded} headers a backend is sent, one rule for both paths. A request from a
 * trusted proxy ({@code trusted_proxies}, e.g. the TLS terminator in front) keeps what that proxy said, every line
 * of it, with the router's peer appended to {@code X-Forwarded-For} and {@code Forwarded}; its {@code
 * X-Forwarded-Proto} and {@code X-Forwarded-Host} stand. From anyone else they are replaced by what the router saw
 * itself, and {@code Forwarded} is dropped: a client cannot claim an address, a scheme or a host.
 */
final class ForwardedHeaders {
    private final List<Cidr> trusted;

    ForwardedHeaders(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** Whether the peer at {@code address} is a trusted proxy. */
    boolean trusts(InetAddress address) {
        if (address == null || trusted.isEmpty()) {
            return false;
        }
        byte[] a = address.getAddress();
        for (Cidr c : trusted) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this rule decides on the client's header {@code field} (the request copy leaves it out). */
    static boolean decides(HttpField field) {
        String lower = field.getLowerCaseName();
        return lower.startsWith("x-forwarded-") || lower.equals("forwarded");
    }

    /**
     * Writes the forwarded headers for a request from {@code peer} whose fields were {@code in}; {@code proto} is the
     * scheme the router was reached by.
     */
    void write(Iterable<HttpField> in, String peer, boolean fromTrusted, String proto, BiConsumer<String, String> out) {
        String host = null;
        List<HttpField> forFields = new ArrayList<>(1);
        List<HttpField> forwarded = new ArrayList<>(0);
        boolean hasProto = false;
        boolean hasHost = false;
        for (HttpField f : in) {
            HttpHeader h = f.getHeader();
            if (h == HttpHeader.HOST) {
                host = f.getValue();
            }
            if (!fromTrusted || !decides(f)) {
                continue;
            }
            String lower = f.getLowerCaseName();
            switch (lower) {
                case "x-forwarded-for" -> forFields.add(f);
                case "forwarded" -> forwarded.add(f);
                default -> {
                    hasProto |= lower.equals("x-forwarded-proto");
                    hasHost |= lower.equals("x-forwarded-host");
                    out.accept(f.getName(), f.getValue()); // Proto, Host, Port, Prefix…: the proxy in front knows them
                }
            }
        }
        appendTo(forFields, "X-Forwarded-For", peer, out);
        if (!hasProto) {
            out.accept("X-Forwarded-Proto", proto);
        }
        if (!hasHost && host != null) {
            out.accept("X-Forwarded-Host", host);
        }
        if (!forwarded.isEmpty()) {
            String node = peer.indexOf(':') >= 0 ? "\"[" + peer + "]\"" : peer;
            StringBuilder element = new StringBuilder("for=").append(node).append(";proto=").append(proto);
            if (host != null) {
                element.append(";host=\"").append(host.replace("\"", "")).append('"');
            }
            appendTo(forwarded, "Forwarded", element.toString(), out);
        }
    }

    /** Every line as it came, {@code value} appended to the last one (or a line of its own when there is none). */
    private static void appendTo(List<HttpField> lines, String name, String value, BiConsumer<String, String> out) {
        for (int i = 0; i < lines.size() - 1; i++) {
            out.accept(lines.get(i).getName(), lines.get(i).getValue());
        }
        if (lines.isEmpty()) {
            out.accept(name, value);
        } else {
            HttpField last = lines.get(lines.size() - 1);
            String v = last.getValue().trim();
            out.accept(last.getName(), v.isEmpty() ? value : v + ", " + value);
        }
    }

    @Override
    public String toString() {
        return "trusted " + trusted.toString().toLowerCase(Locale.ROOT);
    }
}
