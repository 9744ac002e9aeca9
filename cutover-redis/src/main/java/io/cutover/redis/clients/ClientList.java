package io.cutover.redis.clients;

import io.cutover.core.output.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clients connected to a server (ours left out), with their grouping by host, name and db.
 *
 * @param clients the connections, in CLIENT LIST order
 */
public record ClientList(List<ClientInfo> clients) {
    public ClientList {
        clients = List.copyOf(clients);
    }

    /** Parses a CLIENT LIST reply. */
    public static ClientList parse(String reply) {
        List<ClientInfo> out = new ArrayList<>();
        for (String line : reply.split("\r?\n")) {
            if (!line.isBlank()) {
                out.add(ClientInfo.parse(line));
            }
        }
        return new ClientList(out);
    }

    /** Groups by host, name and db: count, smallest idle, largest age; busiest groups first. */
    public List<ClientGroup> groups() {
        Map<String, ClientGroup> groups = new LinkedHashMap<>();
        for (ClientInfo c : clients) {
            groups.merge(c.host() + "\u0000" + c.name() + "\u0000" + c.db(),
                    new ClientGroup(c.host(), c.name(), c.db(), 1, c.idleSeconds(), c.ageSeconds()),
                    (a, b) -> new ClientGroup(a.host(), a.name(), a.db(), a.count() + 1,
                            Math.min(a.minIdleSeconds(), b.minIdleSeconds()), Math.max(a.maxAgeSeconds(), b.maxAgeSeconds())));
        }
        List<ClientGroup> out = new ArrayList<>(groups.values());
        out.sort(Comparator.comparingInt(ClientGroup::count).reversed().thenComparing(ClientGroup::host)
                .thenComparing(ClientGroup::name).thenComparingInt(ClientGroup::db));
        return out;
    }

    public boolean isEmpty() {
        return clients.isEmpty();
    }

    /** The human table of groups. */
    public String table() {
        if (clients.isEmpty()) {
            return "no other clients connected\n";
        }
        Table t = new Table("host", "name", "db", "clients", "min idle", "max age");
        for (ClientGroup g : groups()) {
            t.row(g.host(), g.name().isEmpty() ? "-" : g.name(), g.db(), g.count(), g.minIdleSeconds() + "s",
                    g.maxAgeSeconds() + "s");
        }
        return t.render() + clients.size() + " client" + (clients.size() == 1 ? "" : "s") + " connected\n";
    }
}
