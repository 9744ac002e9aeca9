package io.cutover.redis.live;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application writing to the source while a live copy runs: SET, HSET, LPUSH, INCR, DEL and EXPIRE on random keys
 * among the loaded ones and some new ones, at most {@code opsPerMilli} operations per millisecond.
 */
public final class Writer implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong ops = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    public Writer(RedisClient client, int db, int keySpace, int opsPerMilli) {
        thread = new Thread(() -> {
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().select(db);
                loop(c.sync(), keySpace, opsPerMilli);
            } catch (Throwable e) {
                failure = e;
            }
        }, "test-writer");
        thread.start();
    }

    /** A writer on a Redis Cluster: each command goes to the primary serving its key. */
    public Writer(io.lettuce.core.cluster.RedisClusterClient cluster, int keySpace, int opsPerMilli) {
        thread = new Thread(() -> {
            try (var c = cluster.connect()) {
                loop(c.sync(), keySpace, opsPerMilli);
            } catch (Throwable e) {
                failure = e;
            }
        }, "test-writer");
        thread.start();
    }

    private void loop(io.lettuce.core.cluster.api.sync.RedisClusterCommands<String, String> r, int keySpace,
                      int opsPerMilli) throws InterruptedException {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long started = System.nanoTime();
        while (running) {
            int n = rnd.nextInt(keySpace + keySpace / 10);
            switch (rnd.nextInt(6)) {
                case 0 -> r.set("str:" + n, "v" + rnd.nextInt());
                case 1 -> r.hset("hash:" + (n % 1000), "f" + rnd.nextInt(20), "v" + rnd.nextInt());
                case 2 -> r.lpush("list:" + (n % 1000), "e" + rnd.nextInt());
                case 3 -> r.incr("counter:" + (n % 1000));
                case 4 -> r.del("str:" + n);
                default -> r.pexpire("str:" + n, rnd.nextInt(2) == 0 ? 30 : 600_000);
            }
            long done = ops.incrementAndGet();
            long due = started + done * 1_000_000L / opsPerMilli;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    public long ops() {
        return ops.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new AssertionError("writer failed", failure);
        }
    }
}
