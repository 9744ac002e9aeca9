package io.cutover.redis.inventory;

import io.cutover.redis.connect.RedisEndpoint;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.List;
import java.util.Map;

/**
 * A key's size where the server can't tell it (no MEMORY USAGE before 4.0, or refused): the bytes of its data,
 * from its length ({@code STRLEN}, {@code HLEN}, {@code LLEN}, {@code SCARD}, {@code ZCARD}, {@code XLEN}) times the
 * average size of up to {@value #SAMPLE} elements read from its start ({@code HSCAN}/{@code SSCAN}/{@code ZSCAN}
 * first page, {@code LRANGE}, {@code XRANGE}), plus the key. Never reads a whole value (a 300 MB string costs one
 * STRLEN). Smaller than the server's memory (no per-element overhead), but comparable across keys.
 */
final class SizeEstimate {
    static final int SAMPLE = 10;

    private SizeEstimate() {
    }

    /** The length and sample commands queued for one key, read by {@link #bytes}. */
    record Pending(String type, RedisFuture<Long> length, RedisFuture<?> sample) {
        long bytes(RedisEndpoint node, byte[] key) {
            Long n = length == null ? null : Keyspace.awaitOrNull(node, length);
            Object s = sample == null ? null : Keyspace.awaitOrNull(node, sample);
            if (n == null) {
                return key.length;
            }
            if ("string".equals(type)) {
                return key.length + n;
            }
            long[] sum = new long[2]; // bytes, elements
            if (s instanceof MapScanCursor<?, ?> m) {
                for (Map.Entry<?, ?> e : m.getMap().entrySet()) {
                    add(sum, ((byte[]) e.getKey()).length + ((byte[]) e.getValue()).length);
                }
            } else if (s instanceof ScoredValueScanCursor<?> z) {
                for (ScoredValue<?> v : z.getValues()) {
                    add(sum, ((byte[]) v.getValue()).length + 8);
                }
            } else if (s instanceof ValueScanCursor<?> v) {
                v.getValues().forEach(x -> add(sum, ((byte[]) x).length));
            } else if (s instanceof List<?> list) {
                for (Object x : list) {
                    if (x instanceof StreamMessage<?, ?> m) {
                        long b = m.getId().length();
                        for (Map.Entry<?, ?> e : m.getBody().entrySet()) {
                            b += ((byte[]) e.getKey()).length + ((byte[]) e.getValue()).length;
                        }
                        add(sum, b);
                    } else {
                        add(sum, ((byte[]) x).length);
                    }
                }
            }
            long average = sum[1] == 0 ? 0 : sum[0] / sum[1];
            return key.length + n * average;
        }

        private static void add(long[] sum, long bytes) {
            sum[0] += bytes;
            sum[1]++;
        }
    }

    /** Queues the length and a small sample of each key (its type known), pipelined. */
    static Pending queue(RedisAsyncCommands<byte[], byte[]> a, byte[] key, String type) {
        ScanArgs sample = ScanArgs.Builder.limit(SAMPLE);
        return switch (type) {
            case "string" -> new Pending(type, a.strlen(key), null);
            case "hash" -> new Pending(type, a.hlen(key), a.hscan(key, sample));
            case "set" -> new Pending(type, a.scard(key), a.sscan(key, sample));
            case "zset" -> new Pending(type, a.zcard(key), a.zscan(key, sample));
            case "list" -> new Pending(type, a.llen(key), a.lrange(key, 0, SAMPLE - 1));
            case "stream" -> new Pending(type, a.xlen(key),
                    a.xrange(key, Range.create("-", "+"), Limit.from(SAMPLE)));
            default -> new Pending(type, null, null);
        };
    }
}
