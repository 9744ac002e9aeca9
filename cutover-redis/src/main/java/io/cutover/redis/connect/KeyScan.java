package io.cutover.redis.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * SCAN over a {@link RespPipe} (never KEYS): Lettuce decoded large SCAN pages slowly, and a whole-keyspace job
 * (copy, verify) spends a good part of its time here.
 */
public final class KeyScan implements AutoCloseable {
    private static final byte[] SCAN = RespPipe.ascii("SCAN");
    private static final byte[] COUNT = RespPipe.ascii("COUNT");
    private static final byte[] MATCH = RespPipe.ascii("MATCH");

    private final RedisEndpoint server;
    private final RespPipe pipe;

    /** A scan of database {@code db} of {@code server} (a standalone server or one primary of a cluster). */
    public KeyScan(RedisEndpoint server, int db) {
        this.server = server;
        this.pipe = server.openPipe(db);
    }

    /**
     * One SCAN call from {@code cursor} ("0" to start) asking for about {@code count} keys, only those matching
     * {@code match} when it is not null; adds the keys to {@code into} and returns the next cursor ("0" at the end).
     */
    public String next(String cursor, int count, String match, List<byte[]> into) {
        try {
            byte[] c = RespPipe.ascii(cursor);
            byte[] n = RespPipe.ascii(Integer.toString(count));
            if (match == null) {
                pipe.command(SCAN, c, COUNT, n);
            } else {
                pipe.command(SCAN, c, MATCH, match.getBytes(StandardCharsets.UTF_8), COUNT, n);
            }
            pipe.flush();
            pipe.arrayLength();
            String next = new String(pipe.bulkBytes(), StandardCharsets.US_ASCII);
            long keys = pipe.arrayLength();
            for (long i = 0; i < keys; i++) {
                into.add(pipe.bulkBytes());
            }
            return next;
        } catch (IOException e) {
            throw server.failure(e);
        }
    }

    /**
     * Scans database {@code db} of every primary of {@code endpoint} (the one server when standalone), handing each
     * page of keys (possibly empty pages skipped) to {@code page}.
     */
    public static void each(RedisEndpoint endpoint, int db, String match, int count, Consumer<List<byte[]>> page) {
        for (RedisEndpoint node : endpoint.nodes()) {
            try (KeyScan scan = new KeyScan(node, db)) {
                String cursor = "0";
                do {
                    List<byte[]> keys = new ArrayList<>(count);
                    cursor = scan.next(cursor, count, match, keys);
                    if (!keys.isEmpty()) {
                        page.accept(keys);
                    }
                } while (!"0".equals(cursor));
            }
        }
    }

    @Override
    public void close() {
        pipe.close();
    }
}
