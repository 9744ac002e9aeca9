package io.cutover.redis.switchover;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An application instance taking a distributed lock ({@code SET lock me NX PX}) over and over. It records when it
 * believed it held the lock: from the OK until it sent the release, or until the expiry counted from when it sent
 * the SET, whichever came first. {@link #moveTo} points it at another server, as a DNS change would.
 */
final class LockClient implements AutoCloseable {
    static final long PX = 300;
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    /** One period the client believed it held the lock, on server {@code uri}. */
    record Hold(String client, String uri, long from, long to) {
    }

    private final String name;
    private final List<Hold> holds;
    private final Thread thread;
    private volatile String uri;
    private volatile boolean running = true;
    private volatile RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    LockClient(String name, String uri, List<Hold> holds) {
        this.name = name;
        this.uri = uri;
        this.holds = holds;
        this.thread = new Thread(this::loop, "lock-" + name);
        thread.start();
    }

    /**
     * Changes the address used on the next connect, as a DNS change does: the open connection stays on the old
     * server until it breaks.
     */
    void pointAt(String newUri) {
        uri = newUri;
    }

    /** Points the client at {@code newUri}; a command blocked on the old server is abandoned (connection closed). */
    synchronized void moveTo(String newUri) {
        uri = newUri;
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.closeAsync();
        }
    }

    private void loop() {
        String connectedTo = null;
        while (running) {
            try {
                String want = uri;
                if (connection == null || !connection.isOpen() || connectedTo == null) {
                    reconnect(want);
                    connectedTo = want;
                }
                long sent = System.nanoTime();
                String ok = connection.sync().set("lock", name, SetArgs.Builder.nx().px(PX));
                if ("OK".equals(ok)) {
                    long from = System.nanoTime();
                    Thread.sleep(20); // the work done under the lock
                    long release = System.nanoTime();
                    holds.add(new Hold(name, connectedTo, from, Math.min(release, sent + Duration.ofMillis(PX).toNanos())));
                    connection.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {"lock"}, name);
                } else {
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // connection closed by moveTo, or the server went away: reconnect on the next turn
                connectedTo = null;
            }
        }
    }

    private synchronized void reconnect(String to) {
        if (connection != null) {
            connection.closeAsync();
        }
        if (client != null) {
            client.shutdownAsync();
        }
        client = RedisClient.create(to);
        // reconnects are ours, through the address of the moment (as a DNS lookup would be)
        client.setOptions(io.lettuce.core.ClientOptions.builder().autoReconnect(false).build());
        connection = client.connect();
    }

    /** Locks taken on {@code uri} by this client. */
    long holdsOn(String onUri) {
        return holds.stream().filter(h -> h.client().equals(name) && h.uri().equals(onUri)).count();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (client != null) {
            client.shutdown();
        }
    }

    static List<Hold> newLog() {
        return new CopyOnWriteArrayList<>();
    }
}
