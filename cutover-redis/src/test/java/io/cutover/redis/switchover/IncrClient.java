package io.cutover.redis.switchover;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An application instance sending {@code INCR counter} every 2 ms over one connection, counting the increments the
 * server acknowledged. {@link #pointAt} changes the address it connects to next, as a DNS change does: the open
 * connection stays where it is until it breaks, and then the client reconnects through the new address.
 */
final class IncrClient implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong acked = new AtomicLong();
    private volatile String uri;
    private volatile boolean running = true;

    IncrClient(String uri) {
        this.uri = uri;
        this.thread = new Thread(this::loop, "incr-client");
        thread.start();
    }

    /** The address to use on the next connect; the current connection is kept. */
    void pointAt(String newUri) {
        uri = newUri;
    }

    long acked() {
        return acked.get();
    }

    private void loop() {
        RedisClient client = null;
        StatefulRedisConnection<String, String> c = null;
        while (running) {
            try {
                if (c == null || !c.isOpen()) {
                    if (client != null) {
                        client.shutdown();
                    }
                    client = RedisClient.create(uri);
                    // reconnects are ours, through the address of the moment (as a DNS lookup would be)
                    client.setOptions(ClientOptions.builder().autoReconnect(false).build());
                    c = client.connect();
                }
                c.sync().incr("counter");
                acked.incrementAndGet();
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                c = null; // not acknowledged: connection killed or closed; reconnect on the next turn
            }
        }
        if (client != null) {
            client.shutdown();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
