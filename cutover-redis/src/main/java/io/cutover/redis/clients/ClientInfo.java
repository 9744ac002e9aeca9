package io.cutover.redis.clients;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.HashMap;
import java.util.Map;

/**
 * One connection from {@code CLIENT LIST}.
 *
 * @param id          client id (0 when the server doesn't report one)
 * @param addr        peer address, host:port
 * @param name        CLIENT SETNAME name, empty when unset
 * @param db          selected database
 * @param ageSeconds  connection age
 * @param idleSeconds time since its last command
 * @param cmd         last command
 * @param flags       client flags (N normal, S replica, M master, P pubsub…)
 */
public record ClientInfo(long id, String addr, String name, int db, @JsonProperty("age_seconds") long ageSeconds,
                         @JsonProperty("idle_seconds") long idleSeconds, String cmd, String flags) {

    /** Parses one CLIENT LIST line ({@code id=3 addr=127.0.0.1:5000 … name= age=3 idle=0 flags=N db=0 … cmd=get}). */
    public static ClientInfo parse(String line) {
        Map<String, String> f = fields(line);
        return new ClientInfo(num(f.get("id")), f.getOrDefault("addr", ""), f.getOrDefault("name", ""),
                (int) num(f.get("db")), num(f.get("age")), num(f.get("idle")), f.getOrDefault("cmd", ""),
                f.getOrDefault("flags", ""));
    }

    /** Every {@code field=value} of one CLIENT LIST line (lib-name, lib-ver… beside those kept here). */
    public static Map<String, String> fields(String line) {
        Map<String, String> f = new HashMap<>();
        for (String part : line.trim().split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                f.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return f;
    }

    private static long num(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The peer's host (addr without the port). */
    public String host() {
        int colon = addr.lastIndexOf(':');
        String h = colon < 0 ? addr : addr.substring(0, colon);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** Whether {@code nameOrAddr} names this client: its name, its addr or its host. */
    public boolean matches(String nameOrAddr) {
        return nameOrAddr.equals(name) || nameOrAddr.equals(addr) || nameOrAddr.equals(host());
    }

    /**
     * A normal client, as {@code CLIENT KILL TYPE normal} means it: not a replica, not a primary, not subscribed
     * (a subscribed connection can't write until it unsubscribes).
     */
    public boolean normal() {
        return flags.chars().noneMatch(f -> f == 'S' || f == 'M' || f == 'P');
    }

    /** Short description for messages: {@code name@addr db N}. */
    public String describe() {
        return (name.isEmpty() ? "" : name + "@") + addr + " db " + db + " idle " + idleSeconds + "s";
    }
}
