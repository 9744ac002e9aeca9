package io.cutover.redis.connect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bare RESP connections of one side of a copy: one to a database of a standalone server, or one per primary of
 * a cluster, each key's commands going to the primary that serves its slot.
 */
public final class SlotPipes implements AutoCloseable {
    private final RedisEndpoint endpoint;
    private final int db;
    private final ClusterTopology topology;
    private final RespPipe[] pipes;

    public SlotPipes(RedisEndpoint endpoint, int db) {
        this.endpoint = endpoint;
        this.db = db;
        this.topology = endpoint.cluster() ? endpoint.topology() : null;
        this.pipes = new RespPipe[topology == null ? 1 : topology.primaries().size()];
    }

    /** The connection for {@code key}, opened on first use. */
    public RespPipe forKey(byte[] key) {
        int i = topology == null ? 0 : topology.ownerOf(key);
        RespPipe p = pipes[i];
        if (p == null) {
            RedisEndpoint server = topology == null ? endpoint : endpoint.nodes().get(i); // nodes() is in primaries' order
            p = server.openPipe(db);
            pipes[i] = p;
        }
        return p;
    }

    /** The connections opened so far. */
    public List<RespPipe> opened() {
        List<RespPipe> list = new ArrayList<>(pipes.length);
        for (RespPipe p : pipes) {
            if (p != null) {
                list.add(p);
            }
        }
        return list;
    }

    /** Sends what was written to every connection. */
    public void flush() throws IOException {
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
