package io.cutover.redis.live;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.select.KeySelection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A subscription to the source's keyspace notifications ({@code __keyspace@<db>__:*}) on a connection of its own
 * (one per primary of a cluster: each publishes the events of its own keys only): every event names a key that
 * changed (written, deleted, expired, evicted, renamed), which goes to a {@link Sink}. The connections do not
 * reconnect by themselves: {@link #isOpen()} turning false means events may have been missed, and the caller must
 * subscribe again and rescan.
 */
public final class KeyspaceEvents implements AutoCloseable {
    private static final byte[] PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    /** Events after which the key no longer exists (UNLINK publishes "del"; MOVE publishes "move_from" in 7.0+). */
    private static final Set<String> GONE = Set.of("del", "expired", "evicted", "rename_from", "move_from");

    /** Where changed keys go. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Records a change named by {@code event} (e.g. "set", "xadd", "del"); false when it could not be held (the
         * database will be rescanned).
         */
        boolean changed(int db, byte[] key, String event, boolean gone, long nowNanos);
    }

    private final List<StatefulRedisPubSubConnection<byte[], byte[]>> connections = new ArrayList<>();
    private final LongAdder events = new LongAdder();
    private final Map<ByteBuffer, CountDownLatch> markers = new ConcurrentHashMap<>();

    private KeyspaceEvents() {
    }

    /**
     * Subscribes to the databases {@code dbs} of {@code source} and records changed keys the selection keeps;
     * returns once the server has confirmed the subscriptions.
     */
    public static KeyspaceEvents subscribe(RedisEndpoint source, Collection<Integer> dbs, KeySelection selection,
                                           Sink into) {
        return subscribe(source, dbs, selection, into, null);
    }

    /**
     * As {@link #subscribe(RedisEndpoint, Collection, KeySelection, Sink)}, on connections that announce themselves
     * as {@code clientName} in CLIENT LIST (null: no name), so they can be told apart from the application's clients.
     */
    public static KeyspaceEvents subscribe(RedisEndpoint source, Collection<Integer> dbs, KeySelection selection,
                                           Sink into, String clientName) {
        KeyspaceEvents ke = new KeyspaceEvents();
        try {
            for (RedisEndpoint node : source.nodes()) {
                ke.subscribeOn(node, dbs, selection, into, clientName);
            }
        } catch (RuntimeException e) {
            ke.close();
            throw e;
        }
        return ke;
    }

    private void subscribeOn(RedisEndpoint node, Collection<Integer> dbs, KeySelection selection, Sink into,
                             String clientName) {
        StatefulRedisPubSubConnection<byte[], byte[]> c;
        try {
            io.lettuce.core.RedisURI uri = node.lettuceUri(0);
            if (clientName != null) {
                uri.setClientName(clientName);
            }
            c = node.client().connectPubSub(ByteArrayCodec.INSTANCE, uri);
        } catch (RuntimeException e) {
            throw node.failure(e);
        }
        connections.add(c);
        KeyspaceEvents ke = this;
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                ke.onEvent(channel, message, selection, into);
            }

            @Override
            public void message(byte[] channel, byte[] message) {
                CountDownLatch marker = ke.markers.get(ByteBuffer.wrap(channel));
                if (marker != null) {
                    marker.countDown();
                    if (marker.getCount() == 0) {
                        ke.markers.remove(ByteBuffer.wrap(channel));
                    }
                }
            }
        });
        try {
            byte[][] patterns = dbs.stream().map(db -> ("__keyspace@" + db + "__:*").getBytes(StandardCharsets.US_ASCII))
                    .toArray(byte[][]::new);
            c.sync().psubscribe(patterns);
        } catch (RuntimeException e) {
            throw node.failure(e);
        }
    }

    private void onEvent(byte[] channel, byte[] event, KeySelection selection, Sink into) {
        events.increment();
        // __keyspace@<db>__:<key>
        int at = PREFIX.length;
        int db = 0;
        while (at < channel.length && channel[at] >= '0' && channel[at] <= '9') {
            db = db * 10 + (channel[at++] - '0');
        }
        at += 3; // "__:"
        if (at > channel.length) {
            return;
        }
        byte[] key = java.util.Arrays.copyOfRange(channel, at, channel.length);
        String name = new String(event, StandardCharsets.US_ASCII);
        boolean gone = GONE.contains(name);
        if (selection.matches(key)) {
            into.changed(db, key, name, gone, System.nanoTime()); // false: the set is full, its database will be rescanned
        }
    }

    /**
     * Returns once every event the server published before this call has been recorded: the server answers a
     * SUBSCRIBE after the messages already queued for this connection, and they are handled in order.
     */
    public void barrier() {
        byte[] channel = ("cutover:barrier:" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        for (StatefulRedisPubSubConnection<byte[], byte[]> connection : connections) {
            connection.sync().subscribe(channel);
            connection.sync().unsubscribe(channel);
        }
    }

    /**
     * Subscribes to {@code channel} and returns a latch released when a message is published on it: everything the
     * server published before that message has then been recorded. Used when the source will be fully paused and
     * can't answer a {@link #barrier()}; the message is published in the same transaction as the pause.
     */
    public CountDownLatch expectMarker(String channel) {
        byte[] c = channel.getBytes(StandardCharsets.UTF_8);
        CountDownLatch latch = new CountDownLatch(connections.size()); // a cluster delivers PUBLISH on every node
        markers.put(ByteBuffer.wrap(c), latch);
        for (StatefulRedisPubSubConnection<byte[], byte[]> connection : connections) {
            connection.sync().subscribe(c);
        }
        return latch;
    }

    /** False once the connection dropped (killed, timed out, server restarted): events may have been missed. */
    public boolean isOpen() {
        return connections.stream().allMatch(StatefulRedisPubSubConnection::isOpen);
    }

    /** Events received so far. */
    public long events() {
        return events.sum();
    }

    @Override
    public void close() {
        for (StatefulRedisPubSubConnection<byte[], byte[]> connection : connections) {
            try {
                connection.closeAsync().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing a dead subscription: nothing to do
            }
        }
    }
}
