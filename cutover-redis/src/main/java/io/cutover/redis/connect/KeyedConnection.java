package io.cutover.redis.connect;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * A binary-safe connection for commands addressed by key: to one database of a standalone server, or to a whole
 * Redis Cluster where Lettuce sends each command to the primary serving the key's slot (multi-key DEL, UNLINK and
 * EXISTS are split by slot).
 */
public final class KeyedConnection implements AutoCloseable {
    private final StatefulConnection<byte[], byte[]> connection;
    private final StatefulRedisConnection<byte[], byte[]> standalone;
    private final RedisClusterAsyncCommands<byte[], byte[]> async;
    private final RedisClusterCommands<byte[], byte[]> sync;

    KeyedConnection(StatefulRedisConnection<byte[], byte[]> c) {
        this.connection = c;
        this.standalone = c;
        this.async = c.async();
        this.sync = c.sync();
    }

    KeyedConnection(StatefulRedisClusterConnection<byte[], byte[]> c) {
        this.connection = c;
        this.standalone = null;
        this.async = c.async();
        this.sync = c.sync();
    }

    public RedisClusterAsyncCommands<byte[], byte[]> async() {
        return async;
    }

    public RedisClusterCommands<byte[], byte[]> sync() {
        return sync;
    }

    /** The plain connection underneath on a standalone server (SCAN goes there too), null on a cluster. */
    public StatefulRedisConnection<byte[], byte[]> standalone() {
        return standalone;
    }

    /**
     * With {@code false}, commands go out only on {@link #flushCommands()}: one round trip per batch. Ignored on a
     * cluster: Lettuce writes a command whose node connection is not ready yet after the flush, where it would wait
     * forever; commands there are still pipelined (sent without waiting for replies), each flushed on its own.
     */
    public void setAutoFlushCommands(boolean autoFlush) {
        if (standalone != null) {
            connection.setAutoFlushCommands(autoFlush);
        }
    }

    public void flushCommands() {
        connection.flushCommands();
    }

    @Override
    public void close() {
        connection.close();
    }
}
