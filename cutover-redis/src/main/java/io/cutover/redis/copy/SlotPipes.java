package io.cutover.redis.copy;

import io.cutover.redis.connect.ClusterTopology;
import io.cutover.redis.connect.RedisEndpoint;

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
            RedisEndpoint server = topology == null ? endpoint : endpoint.nodes().get(i); // nodes() is in primaries' order
            try {
                p = RespPipe.open(server.uri(), db);
            } catch (IOException e) {
                throw server.failure(e);
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
