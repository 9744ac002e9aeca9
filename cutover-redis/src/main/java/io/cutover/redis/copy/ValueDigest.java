package io.cutover.redis.copy;

import io.cutover.redis.connect.StreamInfo;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A 64-bit digest of a key's value read type-natively in chunks: order-free for hash, set and zset (DUMP payloads of
 * equal hashtable-encoded values differ between servers), ordered for list and stream (plus a stream's last-generated-id
 * and groups). Decides whether a key already on the target is the one this job copied earlier.
 */
final class ValueDigest {
    private ValueDigest() {
    }

    /** The digest of {@code key}, or 0 when it does not exist. */
    static long of(RedisClusterCommands<byte[], byte[]> c, byte[] key) {
        String type = c.type(key);
        long d = hash(type.getBytes(StandardCharsets.US_ASCII), 17);
        switch (type) {
            case "none" -> {
                return 0;
            }
            case "string" -> {
                // FNV over the chunks in order is FNV over the whole value: equal strings, equal digests
                long len = c.strlen(key);
                long h = 0xcbf29ce484222325L ^ 1;
                for (long at = 0; at < len; at += StructCopier.STRING_CHUNK) {
                    h = fnv(h, c.getrange(key, at, at + StructCopier.STRING_CHUNK - 1));
                }
                d = mix(d, fmix(h));
            }
            case "hash" -> {
                ScanCursor cursor = ScanCursor.INITIAL;
                long sum = 0;
                do {
                    MapScanCursor<byte[], byte[]> page = c.hscan(key, cursor, ScanArgs.Builder.limit(StructCopier.CHUNK));
                    for (Map.Entry<byte[], byte[]> e : page.getMap().entrySet()) {
                        sum += mix(hash(e.getKey(), 2), hash(e.getValue(), 3));
                    }
                    cursor = page;
                } while (!cursor.isFinished());
                d = mix(d, sum);
            }
            case "set" -> {
                ScanCursor cursor = ScanCursor.INITIAL;
                long sum = 0;
                do {
                    ValueScanCursor<byte[]> page = c.sscan(key, cursor, ScanArgs.Builder.limit(StructCopier.CHUNK));
                    for (byte[] m : page.getValues()) {
                        sum += hash(m, 4);
                    }
                    cursor = page;
                } while (!cursor.isFinished());
                d = mix(d, sum);
            }
            case "zset" -> {
                ScanCursor cursor = ScanCursor.INITIAL;
                long sum = 0;
                do {
                    ScoredValueScanCursor<byte[]> page = c.zscan(key, cursor, ScanArgs.Builder.limit(StructCopier.CHUNK));
                    for (ScoredValue<byte[]> m : page.getValues()) {
                        sum += mix(hash(m.getValue(), 5), Double.doubleToLongBits(m.getScore()));
                    }
                    cursor = page;
                } while (!cursor.isFinished());
                d = mix(d, sum);
            }
            case "list" -> {
                for (long at = 0; ; at += StructCopier.CHUNK) {
                    List<byte[]> items = c.lrange(key, at, at + StructCopier.CHUNK - 1);
                    for (byte[] item : items) {
                        d = mix(d, hash(item, 6));
                    }
                    if (items.size() < StructCopier.CHUNK) {
                        break;
                    }
                }
            }
            case "stream" -> {
                String from = "-";
                while (true) {
                    List<StreamMessage<byte[], byte[]>> entries = c.xrange(key, Range.create(from, "+"), Limit.from(StructCopier.CHUNK));
                    for (StreamMessage<byte[], byte[]> m : entries) {
                        d = mix(d, hash(m.getId().getBytes(StandardCharsets.US_ASCII), 7));
                        for (Map.Entry<byte[], byte[]> e : m.getBody().entrySet()) {
                            d = mix(d, mix(hash(e.getKey(), 8), hash(e.getValue(), 9)));
                        }
                    }
                    if (entries.size() < StructCopier.CHUNK) {
                        break;
                    }
                    from = StreamInfo.nextId(entries.get(entries.size() - 1).getId());
                }
                // a copy of the entries alone is not ours: the id state and groups must match too
                d = mix(d, hash(StreamInfo.state(c.xinfoStream(key), c.xinfoGroups(key)), 11));
            }
            default -> d = mix(d, hash(c.dump(key), 10)); // module types: only their DUMP can tell
        }
        return d == 0 ? 1 : d;
    }

    /** FNV-1a over the bytes, seeded, finished with a 64-bit avalanche. */
    private static long hash(byte[] b, long seed) {
        return fmix(fnv(0xcbf29ce484222325L ^ seed, b));
    }

    private static long fnv(long h, byte[] b) {
        if (b != null) {
            for (byte x : b) {
                h ^= x & 0xff;
                h *= 0x100000001b3L;
            }
        }
        return h;
    }

    private static long mix(long a, long b) {
        return fmix(a * 0x9e3779b97f4a7c15L + b);
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb93fe53a87cdL;
        k ^= k >>> 33;
        return k;
    }
}
