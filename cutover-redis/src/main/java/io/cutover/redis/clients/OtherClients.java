package io.cutover.redis.clients;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.ServerInfo;
import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Lists the clients of a server other than ourselves and those the caller ignores. Holds one connection: it finds
 * itself by CLIENT ID (5.0+) or, on older servers, by a unique CLIENT SETNAME.
 */
public final class OtherClients implements AutoCloseable {
    private final RedisEndpoint endpoint;
    private final List<String> ignore;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final long selfId;
    private final String selfName;
    private final String version;
    private final List<OtherClients> primaries;

    /**
     * Connects; {@code ignore} holds names, addrs (host:port) or hosts to leave out. On a cluster, to every primary:
     * the list is their clients together.
     */
    public OtherClients(RedisEndpoint endpoint, List<String> ignore) {
        this(endpoint, ignore, endpoint.cluster() ? endpoint.nodes() : List.of());
    }

    private OtherClients(RedisEndpoint endpoint, List<String> ignore, List<RedisEndpoint> primaries) {
        this.endpoint = endpoint;
        this.ignore = List.copyOf(ignore);
        List<OtherClients> opened = new java.util.ArrayList<>();
        try {
            for (RedisEndpoint p : primaries) {
                opened.add(new OtherClients(p, ignore, List.of()));
            }
        } catch (RuntimeException e) {
            opened.forEach(OtherClients::close);
            throw e;
        }
        this.primaries = List.copyOf(opened);
        if (!this.primaries.isEmpty()) { // a cluster: the primaries' lists are the list; no connection of our own to show up in them
            this.connection = null;
            this.selfId = -1;
            this.selfName = null;
            this.version = this.primaries.get(0).version();
            return;
        }
        this.connection = endpoint.connect(0);
        try {
            // INFO on this connection, not endpoint.info(): a second connection could linger in the list
            ServerInfo info = ServerInfo.parse(connection.sync().info("server"));
            version = info.version();
            if (info.atLeast(5, 0)) {
                selfId = connection.sync().clientId();
                selfName = null;
            } else {
                selfId = -1;
                selfName = "cutover-clients-" + UUID.randomUUID().toString().substring(0, 8);
                connection.sync().clientSetname(selfName.getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            connection.close();
            throw endpoint.failure(e);
        }
    }

    /** The server's version. */
    public String version() {
        return version;
    }

    /** The other clients now. */
    public ClientList list() {
        if (!primaries.isEmpty()) {
            List<ClientInfo> all = new java.util.ArrayList<>();
            for (OtherClients p : primaries) {
                all.addAll(p.list().clients());
            }
            return new ClientList(List.copyOf(all));
        }
        try {
            ClientList all = ClientList.parse(connection.sync().clientList());
            return new ClientList(all.clients().stream()
                    .filter(c -> selfName == null ? c.id() != selfId : !selfName.equals(c.name()))
                    .filter(c -> ignore.stream().noneMatch(c::matches))
                    .toList());
        } catch (RuntimeException e) {
            throw endpoint.failure(e);
        }
    }

    /**
     * Disconnects the normal other clients ({@link ClientInfo#normal()}) with {@code CLIENT KILL}, so a command
     * they have waiting (e.g. blocked by a pause) fails instead of running here, and they reconnect, through
     * whatever address they resolve then. Returns the clients disconnected; one that left meanwhile is not counted.
     */
    public List<ClientInfo> disconnect() {
        if (!primaries.isEmpty()) {
            List<ClientInfo> all = new java.util.ArrayList<>();
            for (OtherClients p : primaries) {
                all.addAll(p.disconnect());
            }
            return List.copyOf(all);
        }
        List<ClientInfo> killed = new java.util.ArrayList<>();
        for (ClientInfo c : list().clients()) {
            if (!c.normal()) {
                continue;
            }
            try {
                boolean gone = c.id() > 0
                        ? connection.sync().clientKill(io.lettuce.core.KillArgs.Builder.id(c.id())) > 0
                        : "OK".equals(connection.sync().clientKill(c.addr()));
                if (gone) {
                    killed.add(c);
                }
            } catch (io.lettuce.core.RedisCommandExecutionException e) {
                // "No such client": it left between the listing and the kill
            } catch (RuntimeException e) {
                throw endpoint.failure(e);
            }
        }
        return List.copyOf(killed);
    }

    @Override
    public void close() {
        primaries.forEach(OtherClients::close);
        if (connection != null) {
            connection.close();
        }
    }
}
