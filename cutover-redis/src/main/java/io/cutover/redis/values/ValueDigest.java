package io.cutover.redis.values;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.Replies;
import io.cutover.redis.connect.StreamInfo;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.ValueScanCursor;
import io.cutover.redis.connect.KeyedConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A canonical digest of one key's value from type-native reads, equal for equal values whatever the server version
 * or encoding: ordered for strings, lists and streams (by entry id); order-free for hashes and sets; score-aware for
 * sorted sets; a stream's also covers its last-generated-id and consumer groups (one XINFO STREAM and one XINFO
 * GROUPS). Values are read in chunks (GETRANGE, LRANGE, HSCAN, SSCAN, ZSCAN, XRANGE) so a huge key never fills the
 * heap. Many digests advance together, one pipelined round trip per chunk.
 */
public final class ValueDigest {
    public static final int CHUNK_ELEMENTS = 1000;
    public static final int CHUNK_BYTES = 1 << 20;
    private static final int STREAM_CHUNK = 200;
    private static final int MAX_ATTEMPTS = 3;

    private final byte[] key;
    private final String type;
    private final long expectedLength;
    private int attempts;
    private MessageDigest ordered;
    private final MessageDigest element = sha256();
    private long count;
    private long sum0;
    private long sum1;
    private ScanCursor cursor;
    private long offset;
    private String nextId;
    private boolean done;
    private byte[] result;
    private RedisFuture<?> pending;
    private RedisFuture<List<Object>> streamInfo;
    private RedisFuture<List<Object>> groupsInfo;
    private byte[] streamState;

    /** A digest of {@code key} of {@code type}; {@code expectedLength} (element count) detects SCAN duplicates. */
    public ValueDigest(byte[] key, String type, long expectedLength) {
        this.key = key;
        this.type = type;
        this.expectedLength = expectedLength;
        reset();
    }

    /** Types this digest can read. */
    public static boolean supports(String type) {
        return switch (type) {
            case "string", "list", "hash", "set", "zset", "stream" -> true;
            default -> false;
        };
    }

    /** Computes the digests of {@code jobs} on {@code c} (a pipelined connection), a round trip per chunk. */
    public static void computeAll(RedisEndpoint endpoint, KeyedConnection c, List<ValueDigest> jobs) {
        RedisClusterAsyncCommands<byte[], byte[]> a = c.async();
        List<ValueDigest> open = new ArrayList<>(jobs);
        while (!open.isEmpty()) {
            for (ValueDigest d : open) {
                d.issue(a);
            }
            c.flushCommands();
            List<ValueDigest> still = new ArrayList<>();
            for (ValueDigest d : open) {
                if (d.streamInfo != null && d.streamState == null) {
                    d.streamState = streamState(Replies.awaitOrNull(endpoint, d.streamInfo),
                            Replies.awaitOrNull(endpoint, d.groupsInfo));
                }
                d.consume(Replies.awaitOrNull(endpoint, d.pending));
                if (!d.done) {
                    still.add(d);
                }
            }
            open = still;
        }
    }

    public byte[] result() {
        return result;
    }

    private void reset() {
        ordered = sha256();
        ordered.update(type.getBytes(StandardCharsets.US_ASCII));
        count = 0;
        sum0 = 0;
        sum1 = 0;
        cursor = ScanCursor.INITIAL;
        offset = 0;
        nextId = "0-0";
    }

    private void issue(RedisClusterAsyncCommands<byte[], byte[]> a) {
        if ("stream".equals(type) && streamInfo == null) {
            // once per stream, with its first chunk: what a copy of the entries alone would lose
            streamInfo = a.xinfoStream(key);
            groupsInfo = a.xinfoGroups(key);
        }
        ScanArgs chunk = ScanArgs.Builder.limit(CHUNK_ELEMENTS);
        pending = switch (type) {
            case "string" -> a.getrange(key, offset, offset + CHUNK_BYTES - 1);
            case "list" -> a.lrange(key, offset, offset + CHUNK_ELEMENTS - 1);
            case "hash" -> a.hscan(key, cursor, chunk);
            case "set" -> a.sscan(key, cursor, chunk);
            case "zset" -> a.zscan(key, cursor, chunk);
            case "stream" -> a.xrange(key, Range.from(Range.Boundary.including(nextId), Range.Boundary.unbounded()),
                    Limit.create(0, STREAM_CHUNK));
            default -> throw new IllegalStateException("no digest for type " + type);
        };
    }

    @SuppressWarnings("unchecked")
    private void consume(Object reply) {
        if (reply == null) {
            // the key changed type or vanished under us: a digest no other value has
            finish(("changed " + type).getBytes(StandardCharsets.US_ASCII));
            return;
        }
        switch (type) {
            case "string" -> {
                byte[] part = (byte[]) reply;
                ordered.update(part);
                offset += part.length;
                if (part.length < CHUNK_BYTES) {
                    finish(ordered.digest());
                }
            }
            case "list" -> {
                List<byte[]> items = (List<byte[]>) reply;
                items.forEach(this::orderedPart);
                offset += items.size();
                if (items.size() < CHUNK_ELEMENTS) {
                    finish(ordered.digest());
                }
            }
            case "hash" -> {
                MapScanCursor<byte[], byte[]> page = (MapScanCursor<byte[], byte[]>) reply;
                for (Map.Entry<byte[], byte[]> e : page.getMap().entrySet()) {
                    addElement(e.getKey(), e.getValue());
                }
                advance(page);
            }
            case "set" -> {
                ValueScanCursor<byte[]> page = (ValueScanCursor<byte[]>) reply;
                for (byte[] m : page.getValues()) {
                    addElement(m, null);
                }
                advance(page);
            }
            case "zset" -> {
                ScoredValueScanCursor<byte[]> page = (ScoredValueScanCursor<byte[]>) reply;
                for (ScoredValue<byte[]> v : page.getValues()) {
                    double score = v.getScore() == 0.0 ? 0.0 : v.getScore(); // -0.0 and 0.0 are the same score
                    addElement(v.getValue(), ByteBuffer.allocate(8).putDouble(score).array());
                }
                advance(page);
            }
            case "stream" -> {
                List<StreamMessage<byte[], byte[]>> entries = (List<StreamMessage<byte[], byte[]>>) reply;
                for (StreamMessage<byte[], byte[]> m : entries) {
                    orderedPart(m.getId().getBytes(StandardCharsets.US_ASCII));
                    for (Map.Entry<byte[], byte[]> e : m.getBody().entrySet()) {
                        orderedPart(e.getKey());
                        orderedPart(e.getValue());
                    }
                }
                if (entries.size() < STREAM_CHUNK) {
                    orderedPart(streamState);
                    finish(ordered.digest());
                } else {
                    nextId = StreamInfo.nextId(entries.get(entries.size() - 1).getId());
                }
            }
            default -> throw new IllegalStateException("no digest for type " + type);
        }
    }

    private void advance(ScanCursor page) {
        cursor = page;
        if (!page.isFinished()) {
            return;
        }
        // SCAN-family commands may return an element twice while the server rehashes: recount until it fits
        if (count != expectedLength && expectedLength >= 0 && ++attempts < MAX_ATTEMPTS) {
            reset();
            return;
        }
        finish(ByteBuffer.allocate(8 * 3 + type.length()).put(type.getBytes(StandardCharsets.US_ASCII))
                .putLong(count).putLong(sum0).putLong(sum1).array());
    }

    private void finish(byte[] digest) {
        result = digest;
        done = true;
    }

    private void orderedPart(byte[] part) {
        ordered.update(ByteBuffer.allocate(4).putInt(part.length).array());
        ordered.update(part);
    }

    /** Adds one unordered element: sums of per-element hashes don't depend on order. */
    private void addElement(byte[] a, byte[] b) {
        element.reset();
        element.update(ByteBuffer.allocate(4).putInt(a.length).array());
        element.update(a);
        if (b != null) {
            element.update(ByteBuffer.allocate(4).putInt(b.length).array());
            element.update(b);
        }
        ByteBuffer h = ByteBuffer.wrap(element.digest());
        sum0 += h.getLong();
        sum1 += h.getLong();
        count++;
    }

    /** A stream's state beyond its entries ({@link StreamInfo#state}); a marker when the server did not answer. */
    static byte[] streamState(List<Object> stream, List<Object> groups) {
        return stream == null || groups == null ? "no stream info".getBytes(StandardCharsets.US_ASCII)
                : StreamInfo.state(stream, groups);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return type + " " + Arrays.toString(result);
    }
}
