package io.cutover.redis.inventory;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.select.KeySelection;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Walking a keyspace the way managed services allow: SCAN batches (never KEYS), and waiting on pipelined replies.
 * Shared by inventory, prune and verify.
 */
public final class Keyspace {
    private static final long REPLY_TIMEOUT_SECONDS = 120;

    private Keyspace() {
    }

    /** A connection to {@code db} that sends commands only on {@code flushCommands()}: one round trip per batch. */
    public static StatefulRedisConnection<byte[], byte[]> pipelined(RedisEndpoint endpoint, int db) {
        StatefulRedisConnection<byte[], byte[]> c = endpoint.connect(db);
        c.setAutoFlushCommands(false);
        return c;
    }

    /**
     * SCANs the connection's database with batches of about {@code count} keys, handing each batch of selected keys
     * to {@code batch}, which may send its own commands on {@code c}. Uses SCAN MATCH when the selection is a
     * single include. The next SCAN is queued before the batch is handed over, so it travels with the batch's
     * commands: one round trip per batch, not two.
     */
    public static void scan(RedisEndpoint endpoint, StatefulRedisConnection<byte[], byte[]> c, KeySelection selection,
                            int count, Consumer<List<byte[]>> batch) {
        ScanArgs args = ScanArgs.Builder.limit(count);
        selection.scanMatch().ifPresent(m -> args.match(m.getBytes(StandardCharsets.UTF_8)));
        RedisFuture<KeyScanCursor<byte[]>> next = c.async().scan(ScanCursor.INITIAL, args);
        c.flushCommands();
        while (next != null) {
            KeyScanCursor<byte[]> page = await(endpoint, next);
            next = page.isFinished() ? null : c.async().scan(page, args);
            List<byte[]> keys = new ArrayList<>(page.getKeys().size());
            for (byte[] k : page.getKeys()) {
                if (selection.matches(k)) {
                    keys.add(k);
                }
            }
            if (!keys.isEmpty()) {
                batch.accept(keys);
            }
            c.flushCommands(); // sends the queued SCAN when the batch sent nothing itself
        }
    }

    /**
     * SCANs database {@code db} of every primary of {@code endpoint} (the one server when standalone, where the SCAN
     * shares {@code keyed}'s connection), handing batches of selected keys to {@code batch}, which sends its key
     * commands on {@code keyed}.
     */
    public static void scan(RedisEndpoint endpoint, int db, io.cutover.redis.connect.KeyedConnection keyed,
                            KeySelection selection, int count, Consumer<List<byte[]>> batch) {
        if (keyed.standalone() != null) {
            scan(endpoint, keyed.standalone(), selection, count, batch);
            return;
        }
        for (RedisEndpoint node : endpoint.nodesServing(selection.slots())) {
            try (StatefulRedisConnection<byte[], byte[]> c = pipelined(node, db)) {
                scan(node, c, selection, count, batch);
            }
        }
    }

    /**
     * Whether the server accepts an optional command (MEMORY USAGE, UNLINK…): managed services may rename or block
     * commands the version has. {@code probe} runs it on a key that doesn't exist, so it changes nothing.
     */
    public static boolean accepts(RedisEndpoint endpoint, java.util.function.Function<
            io.lettuce.core.api.sync.RedisCommands<byte[], byte[]>, Object> probe) {
        try (StatefulRedisConnection<byte[], byte[]> c = endpoint.connect()) {
            probe.apply(c.sync());
            return true;
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            return false;
        } catch (RuntimeException e) {
            throw endpoint.failure(e);
        }
    }

    /** A key name no one uses, for probes. */
    public static byte[] probeKey() {
        return ("cutover:probe:" + java.util.UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    /** The reply of a pipelined command; a failure becomes a one-line error naming the endpoint. */
    public static <T> T await(RedisEndpoint endpoint, RedisFuture<T> f) {
        try {
            return f.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io.cutover.core.error.CutoverException.runtime("interrupted");
        } catch (ExecutionException e) {
            throw endpoint.failure(e.getCause() == null ? e : e.getCause());
        } catch (Exception e) {
            throw endpoint.failure(e);
        }
    }

    /** Like {@link #await} but a command error for this one key (WRONGTYPE after a concurrent change…) gives null. */
    public static <T> T awaitOrNull(RedisEndpoint endpoint, RedisFuture<T> f) {
        try {
            return f.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof io.lettuce.core.RedisCommandExecutionException) {
                return null;
            }
            throw endpoint.failure(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw io.cutover.core.error.CutoverException.runtime("interrupted");
        } catch (Exception e) {
            throw endpoint.failure(e);
        }
    }
}
