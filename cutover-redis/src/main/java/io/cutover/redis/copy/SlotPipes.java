package io.cutover.redis.copy;

import io.cutover.redis.connect.ClusterTopology;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;

import java.io.IOException;

/**
 * The bare RESP connections of one side of a copy: one to a database of a standalone server, or one per primary of
 * a cluster, each key's commands going to the primary that serves its slot.
 */
final class SlotPipes implements AutoCloseable {
    private final RedisEndpoint endpoint;
    private final int db;
    private final ClusterTopology topology;
    private final RespPipe[] pipes;

    SlotPipes(RedisEndpoint endpoint, int db) {
        this.endpoint = endpoint;
        this.db = db;
        this.topology = endpoint.cluster() ? endpoint.topology() : null;
        this.pipes = new RespPipe[topology == null ? 1 : topology.primaries().size()];
    }

    /** The connection for {@code key}, opened on first use. */
    RespPipe forKey(byte[] key) {
        int i = topology == null ? 0 : topology.ownerOf(key);
        RespPipe p = pipes[i];
        if (p == null) {
            RedisUri uri = endpoint.uri();
            if (topology != null) {
                ClusterTopology.Address a = topology.primaries().get(i);
                uri = new RedisUri(uri.tls(), uri.user(), uri.password(), a.host(), a.port(), 0);
            }
            try {
                p = RespPipe.open(uri, db);
            } catch (IOException e) {
                throw endpoint.failure(e);
            }
            pipes[i] = p;
        }
        return p;
    }

    /** Sends what was written to every connection. */
    void flush() throws IOException {
        for (RespPipe p : pipes) {
            if (p != null) {
                p.flush();
            }
        }
    }

    @Override
    public void close() {
        for (RespPipe p : pipes) {
            if (p != null) {
                p.close();
            }
        }
    }
}
