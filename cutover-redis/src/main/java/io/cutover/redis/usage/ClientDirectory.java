package io.cutover.redis.usage;

import io.cutover.redis.clients.ClientInfo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who is behind each client address: the name and library from CLIENT LIST (lib-name/lib-ver from 7.2), and from
 * what MONITOR shows a client saying about itself (CLIENT SETNAME, HELLO … SETNAME, CLIENT SETINFO), so a client
 * that came and went between two listings is still named. The latest word wins.
 */
final class ClientDirectory {

    /** A connection as the latest CLIENT LIST showed it. */
    record Listed(ClientInfo info, Instant listedAt) {
    }

    private final Map<String, String> names = new HashMap<>();
    private final Map<String, String> libNames = new HashMap<>();
    private final Map<String, String> libVersions = new HashMap<>();
    private final Map<String, Listed> listed = new HashMap<>();

    /** Takes in a CLIENT LIST reply read at {@code at}. */
    void list(String reply, Instant at) {
        for (String line : reply.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            ClientInfo c = ClientInfo.parse(line);
            Map<String, String> f = ClientInfo.fields(line);
            names.put(c.addr(), c.name());
            putIfGiven(libNames, c.addr(), f.get("lib-name"));
            putIfGiven(libVersions, c.addr(), f.get("lib-ver"));
            listed.put(c.addr(), new Listed(c, at));
        }
    }

    /** Takes in what a MONITOR line says about its client's name or library. */
    void saw(MonitorLine line) {
        List<byte[]> a = line.args();
        String cmd = line.command();
        if (cmd.equals("client") && a.size() >= 3) {
            String sub = word(a.get(1));
            if (sub.equals("setname")) {
                names.put(line.client(), text(a.get(2)));
            } else if (sub.equals("setinfo") && a.size() >= 4) {
                String what = word(a.get(2));
                if (what.equals("lib-name")) {
                    libNames.put(line.client(), text(a.get(3)));
                } else if (what.equals("lib-ver")) {
                    libVersions.put(line.client(), text(a.get(3)));
                }
            }
        } else if (cmd.equals("hello")) {
            for (int i = 1; i + 1 < a.size(); i++) {
                if (word(a.get(i)).equals("setname")) {
                    names.put(line.client(), text(a.get(i + 1)));
                }
            }
        }
    }

    /** The client's name, or null when it has none. */
    String name(String address) {
        String n = names.get(address);
        return n == null || n.isEmpty() ? null : n;
    }

    /** {@code lib-name lib-ver}, or null when the client gave none. */
    String library(String address) {
        String n = libNames.get(address);
        if (n == null || n.isEmpty()) {
            return null;
        }
        String v = libVersions.get(address);
        return v == null || v.isEmpty() ? n : n + " " + v;
    }

    /** Every connection the listings showed, the latest listing of each. */
    Map<String, Listed> listed() {
        return Map.copyOf(listed);
    }

    private static void putIfGiven(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String word(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
