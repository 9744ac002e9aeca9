package io.cutover.redis.live;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.Replies;
import io.cutover.redis.select.KeySelection;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Finds the selected stream keys of a source database: {@code SCAN … TYPE stream} on every primary (6.0+), or a SCAN
 * with a pipelined TYPE per page on 5.x. Servers before 5.0 have no streams.
 */
final class StreamScan {
    private static final int SCAN_COUNT = 1000;

    /** Where found stream keys go; false stops the scan. */
    @FunctionalInterface
    interface Found {
        boolean accept(byte[] key) throws InterruptedException;
    }

    private StreamScan() {
    }

    /** Sends every selected stream key of {@code db} to {@code found} until it returns false; the number sent. */
    static long scan(RedisEndpoint source, int db, KeySelection selection, Found found) throws InterruptedException {
        long sent = 0;
        for (RedisEndpoint node : source.nodes()) {
            if (!node.info().hasStreams()) {
                continue;
            }
            boolean typeFilter = node.info().atLeast(6, 0);
            try (StatefulRedisConnection<byte[], byte[]> c = node.connect(db)) {
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    KeyScanArgs args = KeyScanArgs.Builder.limit(SCAN_COUNT);
                    selection.scanMatch().ifPresent(args::match);
                    if (typeFilter) {
                        args.type("stream");
                    }
                    KeyScanCursor<byte[]> page = c.sync().scan(cursor, args);
                    cursor = page;
                    List<byte[]> keys = typeFilter ? page.getKeys() : streamsAmong(node, c, page.getKeys());
                    for (byte[] k : keys) {
                        if (selection.matches(k)) {
                            sent++;
                            if (!found.accept(k)) {
                                return sent;
                            }
                        }
                    }
                } while (!cursor.isFinished());
            } catch (CutoverException e) {
                throw e;
            } catch (RuntimeException e) {
                throw node.failure(e);
            }
        }
        return sent;
    }

    /** The stream keys among {@code keys} of source database {@code db} (one pipelined TYPE each). */
    static List<byte[]> streamsAmong(RedisEndpoint source, int db, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try (KeyedConnection c = source.connectKeyed(db)) {
            return streams(source, keys, k -> c.async().type(k));
        } catch (RuntimeException e) {
            throw e instanceof CutoverException ce ? ce : source.failure(e);
        }
    }

    private static List<byte[]> streamsAmong(RedisEndpoint node, StatefulRedisConnection<byte[], byte[]> c, List<byte[]> keys) {
        return streams(node, keys, k -> c.async().type(k));
    }

    /** Sends a TYPE for each key (pipelined: all are sent before the first answer is awaited); the streams among them. */
    private static List<byte[]> streams(RedisEndpoint side, List<byte[]> keys, Function<byte[], RedisFuture<String>> type) {
        List<RedisFuture<String>> types = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            types.add(type.apply(k));
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if ("stream".equals(Replies.await(side, types.get(i)))) {
                out.add(keys.get(i));
            }
        }
        return out;
    }
}
