package io.cutover.redis.copy;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.Replies;
import io.cutover.redis.values.SameValue;
import io.cutover.redis.connect.ServerInfo;
import io.cutover.redis.connect.StreamInfo;
import io.cutover.redis.select.KeyNames;
import io.lettuce.core.Limit;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Type-native copy of one key (the downgrade path, e.g. 7.x → 6.2 or 2.8): reads by type in chunks of
 * {@link #CHUNK} elements so a huge key neither blocks a server for long nor fills our heap, writes into a temporary
 * key and renames it over the real one at the end, so readers of the target never see a half-written value.
 */
final class StructCopier implements AutoCloseable {
    /** Elements per HSCAN/SSCAN/ZSCAN/LRANGE/XRANGE call and per write. */
    static final int CHUNK = 1000;
    /** Strings longer than this are read with GETRANGE and written with APPEND in pieces of this size. */
    static final int STRING_CHUNK = 1 << 20;

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final ServerInfo sourceInfo;
    private final ServerInfo targetInfo;
    private final boolean replace;
    private final RateLimiter rate;
    private final TtlClock ttlClock;
    private final StreamGroupsCopier groups;
    private final Map<Integer, KeyedConnection> sources = new HashMap<>();
    private final Map<Integer, KeyedConnection> targets = new HashMap<>();
    private final Map<Integer, KeyedConnection> sourcePipes = new HashMap<>();
    private final Map<Integer, KeyedConnection> targetPipes = new HashMap<>();

    /** Most bytes of values read in one pipelined round trip (estimated for collections). */
    private final long batchBytes;

    StructCopier(RedisEndpoint source, RedisEndpoint target, boolean replace, RateLimiter rate, long batchBytes) {
        this.batchBytes = batchBytes;
        this.source = source;
        this.target = target;
        this.sourceInfo = source.info();
        this.targetInfo = target.info();
        this.replace = replace;
        this.rate = rate;
        this.groups = new StreamGroupsCopier(sourceInfo, targetInfo, rate);
        this.ttlClock = TtlClock.forTarget(target);
    }

    /** What the pipelined batch path learned about one key. */
    private static final class Item {
        final byte[] key;
        final byte[] targetKey;
        RedisFuture<String> type;
        RedisFuture<Long> pttl;
        RedisFuture<?> size;
        RedisFuture<?> value;
        RedisFuture<?> written;
        RedisFuture<Long> bytes;
        long estimate;
        byte[] temp;

        Item(byte[] key, byte[] targetKey) {
            this.key = key;
            this.targetKey = targetKey;
        }
    }

    /**
     * Copies a batch type-natively with a few pipelined round trips (TYPE+PTTL, sizes, whole small values, writes);
     * values of more than {@link #CHUNK} elements and every stream (its groups take several round trips) go one by
     * one through the chunked path.
     */
    void copyBatch(int sourceDb, List<byte[]> keys, int targetDb, List<byte[]> targetKeys, Tally tally) {
        KeyedConnection s = sourcePipes.computeIfAbsent(sourceDb, source::connectKeyedPipelined);
        KeyedConnection t = targetPipes.computeIfAbsent(targetDb, target::connectKeyedPipelined);
        RedisClusterAsyncCommands<byte[], byte[]> sa = s.async();
        RedisClusterAsyncCommands<byte[], byte[]> ta = t.async();
        List<Item> items = new ArrayList<>(keys.size());
        rate.acquire(2L * keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Item it = new Item(keys.get(i), targetKeys.get(i));
            it.type = sa.type(it.key);
            it.pttl = sa.pttl(it.key);
            items.add(it);
        }
        s.flushCommands();
        if (!items.isEmpty()) {
            Replies.error(source, items.get(items.size() - 1).pttl); // waits for every TTL of the batch
        }
        TtlClock.Stamp asked = TtlClock.stamp();
        List<Item> live = new ArrayList<>();
        for (Item it : items) {
            String err = Replies.error(source, it.type);
            if (err == null) {
                err = Replies.error(source, it.pttl);
            }
            if (err != null) {
                tally.failed(new KeyFailure(sourceDb, KeyNames.display(it.key), err));
                continue;
            }
            String type = Replies.done(it.type);
            long pttl = Replies.done(it.pttl);
            if ("none".equals(type) || pttl == -2 || pttl == 0) {
                tally.expired++;
                continue;
            }
            it.size = switch (type) {
                case "string" -> sa.strlen(it.key);
                case "hash" -> sa.hlen(it.key);
                case "set" -> sa.scard(it.key);
                case "zset" -> sa.zcard(it.key);
                case "list" -> sa.llen(it.key);
                default -> null;
            };
            if (!"string".equals(type) && it.size != null && sourceInfo.hasMemoryUsage()) {
                it.bytes = sa.memoryUsage(it.key); // to keep a round trip's values within batchBytes
            }
            if ("stream".equals(type) && sourceInfo.hasStreams() && targetInfo.hasStreams()) {
                // one by one: groups and pending entries take several round trips, and an empty stream still exists
                copy(sourceDb, it.key, targetDb, it.targetKey, tally);
                continue;
            }
            if (it.size == null) {
                tally.failed(new KeyFailure(sourceDb, KeyNames.display(it.key), "stream".equals(type)
                        ? "stream: the target (" + targetInfo.version() + ") has no streams"
                        : type + ": no type-native copy for this type"));
                continue;
            }
            live.add(it);
        }
        rate.acquire(live.size());
        s.flushCommands();
        List<Item> small = new ArrayList<>();
        for (Item it : live) {
            String err = Replies.error(source, it.size);
            if (err != null) {
                tally.failed(new KeyFailure(sourceDb, KeyNames.display(it.key), err));
                continue;
            }
            String type = Replies.done(it.type);
            long size = (Long) Replies.done(it.size);
            if ("string".equals(type)) {
                if (size > STRING_CHUNK) {
                    copy(sourceDb, it.key, targetDb, it.targetKey, tally); // in pieces, one by one
                } else {
                    it.estimate = size;
                    small.add(it); // an empty string exists too: GET tells
                }
                continue;
            }
            if (size == 0) {
                tally.expired++;
            } else if (size > CHUNK) {
                copy(sourceDb, it.key, targetDb, it.targetKey, tally); // chunked, one by one
            } else {
                Long bytes = it.bytes == null || Replies.error(source, it.bytes) != null ? null : Replies.done(it.bytes);
                it.estimate = bytes != null ? bytes : size * 64; // no MEMORY USAGE before 4.0: a guess per element
                small.add(it);
            }
        }
        // values are read and written in rounds of at most batchBytes, so a batch of big values never fills the heap
        int from = 0;
        while (from < small.size()) {
            int to = from;
            long bytes = 0;
            while (to < small.size() && (to == from || bytes + small.get(to).estimate <= batchBytes)) {
                bytes += small.get(to++).estimate;
            }
            copySmall(sa, s, ta, t, sourceDb, targetDb, asked, small.subList(from, to), tally);
            from = to;
        }
    }

    /** Reads whole values of {@code small} in one round trip and writes them in another. */
    private void copySmall(RedisClusterAsyncCommands<byte[], byte[]> sa, KeyedConnection s,
                           RedisClusterAsyncCommands<byte[], byte[]> ta, KeyedConnection t, int sourceDb, int targetDb,
                           TtlClock.Stamp asked, List<Item> small, Tally tally) {
        for (Item it : small) {
            it.value = switch (Replies.done(it.type)) {
                case "string" -> sa.get(it.key);
                case "hash" -> sa.hgetall(it.key);
                case "set" -> sa.smembers(it.key);
                case "zset" -> sa.zrangeWithScores(it.key, 0, -1);
                default -> sa.lrange(it.key, 0, -1);
            };
        }
        rate.acquire(small.size());
        s.flushCommands();
        List<Item> writing = new ArrayList<>();
        for (Item it : small) {
            String err = Replies.error(source, it.value);
            if (err != null) {
                tally.failed(new KeyFailure(sourceDb, KeyNames.display(it.key), err));
                continue;
            }
            if (Replies.done(it.value) == null) {
                tally.expired++; // gone between the size and the read
                continue;
            }
            long pttl = Replies.done(it.pttl);
            if (write(ta, it, Replies.done(it.type), Replies.done(it.value), asked, pttl)) {
                writing.add(it);
            } else {
                tally.expired++; // emptied between the size and the read
            }
        }
        t.flushCommands();
        for (Item it : writing) {
            String type = Replies.done(it.type);
            String err = Replies.error(target, it.written);
            if (err != null) {
                if (it.temp != null) {
                    targets.computeIfAbsent(targetDb, target::connectKeyed).sync().del(it.temp);
                }
                if (MemoryLimit.outOfMemory(err)) {
                    throw MemoryLimit.targetFull(target, sourceDb, it.key, it.estimate > 0 ? it.estimate : -1, err);
                }
                if (MemoryLimit.bulkTooLong(err)) {
                    throw MemoryLimit.tooLong(target, sourceDb, it.key, -1, "refused (" + err + ")");
                }
                tally.failed(new KeyFailure(sourceDb, KeyNames.display(it.key), err));
                continue;
            }
            Object r = Replies.done(it.written);
            boolean landed = "string".equals(type) ? r != null : replace || Boolean.TRUE.equals(r);
            if (landed) {
                tally.copied++;
                tally.copiedStruct++;
            } else {
                if (it.temp != null) {
                    targets.computeIfAbsent(targetDb, target::connectKeyed).sync().del(it.temp);
                }
                alreadyThere(sourceDb, it.key, targetDb, it.targetKey, tally);
            }
        }
        for (Item it : small) { // the values (and the writes holding them) are done with: let them go
            it.value = null;
            it.written = null;
        }
    }

    /** Queues the writes of one small value; false when it turned out empty. */
    @SuppressWarnings("unchecked")
    private boolean write(RedisClusterAsyncCommands<byte[], byte[]> ta, Item it, String type, Object value,
                          TtlClock.Stamp asked, long pttl) {
        if ("string".equals(type)) {
            SetArgs args = new SetArgs();
            if (pttl > 0) {
                ttlClock.expire(args, asked, pttl);
            }
            if (!replace) {
                args.nx();
            }
            it.written = ta.set(it.targetKey, (byte[]) value, args);
            return true;
        }
        byte[] temp = tempKey(it.targetKey);
        switch (type) {
            case "hash" -> {
                Map<byte[], byte[]> m = (Map<byte[], byte[]>) value;
                if (m.isEmpty()) {
                    return false;
                }
                if (targetInfo.atLeast(4, 0)) {
                    ta.hset(temp, m);
                } else {
                    ta.hmset(temp, m);
                }
            }
            case "set" -> {
                java.util.Set<byte[]> m = (java.util.Set<byte[]>) value;
                if (m.isEmpty()) {
                    return false;
                }
                ta.sadd(temp, m.toArray(byte[][]::new));
            }
            case "zset" -> {
                List<ScoredValue<byte[]>> m = (List<ScoredValue<byte[]>>) value;
                if (m.isEmpty()) {
                    return false;
                }
                ta.zadd(temp, m.toArray(ScoredValue[]::new));
            }
            default -> {
                List<byte[]> m = (List<byte[]>) value;
                if (m.isEmpty()) {
                    return false;
                }
                ta.rpush(temp, m.toArray(byte[][]::new));
            }
        }
        it.temp = temp;
        if (pttl > 0) {
            ttlClock.expire(ta, temp, asked, pttl);
        }
        it.written = replace ? ta.rename(temp, it.targetKey) : ta.renamenx(temp, it.targetKey);
        return true;
    }

    @SuppressWarnings("unchecked")

    /** Copies {@code key} of {@code sourceDb} to {@code targetKey} of {@code targetDb}, counting the outcome. */
    void copy(int sourceDb, byte[] key, int targetDb, byte[] targetKey, Tally tally) {
        RedisClusterCommands<byte[], byte[]> src = sources.computeIfAbsent(sourceDb, source::connectKeyed).sync();
        RedisClusterCommands<byte[], byte[]> dst = targets.computeIfAbsent(targetDb, target::connectKeyed).sync();
        byte[] temp = null;
        try {
            rate.acquire(2);
            String type = src.type(key);
            long pttl = src.pttl(key);
            TtlClock.Stamp asked = TtlClock.stamp();
            if ("none".equals(type) || pttl == -2 || pttl == 0) {
                tally.expired++;
                return;
            }
            if ("string".equals(type)) {
                if (!copyString(src, dst, key, targetKey, pttl, asked, tally)) {
                    alreadyThere(sourceDb, key, targetDb, targetKey, tally);
                }
                return;
            }
            if ("stream".equals(type) && !(sourceInfo.hasStreams() && targetInfo.hasStreams())) {
                tally.failed(new KeyFailure(sourceDb, KeyNames.display(key),
                        "stream: the target (" + targetInfo.version() + ") has no streams"));
                return;
            }
            if (!replace && dst.exists(targetKey) > 0) {
                alreadyThere(sourceDb, key, targetDb, targetKey, tally);
                return;
            }
            temp = tempKey(targetKey);
            long written = switch (type) {
                case "hash" -> copyHash(src, dst, key, temp);
                case "set" -> copySet(src, dst, key, temp);
                case "zset" -> copyZset(src, dst, key, temp);
                case "list" -> copyList(src, dst, key, temp);
                case "stream" -> copyStream(src, targets.get(targetDb), key, temp);
                default -> -1;
            };
            if (written < 0) {
                tally.failed(new KeyFailure(sourceDb, KeyNames.display(key), type + ": no type-native copy for this type"));
                return;
            }
            if (written == 0) {
                tally.expired++; // vanished while we read it
                return;
            }
            if (pttl > 0) {
                ttlClock.expire(dst, temp, asked, pttl);
            }
            if (replace) {
                dst.rename(temp, targetKey);
            } else if (!dst.renamenx(temp, targetKey)) {
                dst.del(temp); // created meanwhile by someone else: theirs stays
                alreadyThere(sourceDb, key, targetDb, targetKey, tally);
                return;
            }
            tally.copied++;
            tally.copiedStruct++;
        } catch (RedisCommandExecutionException e) {
            if (temp != null) {
                try {
                    dst.del(temp); // no half-written leftovers
                } catch (RuntimeException ignored) {
                    // the failure above is what we report
                }
            }
            String m = firstLine(e.getMessage());
            if (MemoryLimit.outOfMemory(m)) { // source reads never hit maxmemory: it is a write to the target
                throw MemoryLimit.targetFull(target, sourceDb, key, -1, m);
            }
            if (MemoryLimit.bulkTooLong(m)) {
                throw MemoryLimit.tooLong(target, sourceDb, key, -1, "refused (" + m + ")");
            }
            tally.failed(new KeyFailure(sourceDb, KeyNames.display(key), m));
        } catch (CutoverException e) {
            throw e;
        } catch (RuntimeException e) {
            throw RedisCopy.failure(source, target, e);
        }
    }

    /** Whether the target key holds the same value as the source key ({@link SameValue}, type-natively). */
    boolean sameValue(int sourceDb, byte[] key, int targetDb, byte[] targetKey) {
        KeyedConnection src = sources.computeIfAbsent(sourceDb, source::connectKeyed);
        KeyedConnection dst = targets.computeIfAbsent(targetDb, target::connectKeyed);
        return SameValue.compare(source, src, List.of(key), target, dst, List.of(targetKey))[0];
    }

    /** A key already on the target: unchanged when it holds our value (an earlier run copied it), else existing. */
    private void alreadyThere(int sourceDb, byte[] key, int targetDb, byte[] targetKey, Tally tally) {
        if (sameValue(sourceDb, key, targetDb, targetKey)) {
            tally.unchanged++;
        } else {
            tally.existing(KeyNames.display(targetKey));
        }
    }

    /**
     * SET with the TTL (NX unless replacing); false when the target already has the key. A string longer than
     * {@link #STRING_CHUNK} goes in pieces: GETRANGE, APPEND into a temporary key, the TTL, then RENAME.
     */
    private boolean copyString(RedisClusterCommands<byte[], byte[]> src, RedisClusterCommands<byte[], byte[]> dst, byte[] key,
                               byte[] targetKey, long pttl, TtlClock.Stamp asked, Tally tally) {
        rate.acquire(1);
        long length = src.strlen(key);
        if (length > STRING_CHUNK) {
            return copyStringInPieces(src, dst, key, targetKey, length, pttl, asked, tally);
        }
        byte[] value = src.get(key);
        if (value == null) {
            tally.expired++;
            return true;
        }
        SetArgs args = new SetArgs();
        if (pttl > 0) {
            ttlClock.expire(args, asked, pttl);
        }
        if (!replace) {
            args.nx();
        }
        if (dst.set(targetKey, value, args) == null) {
            return false;
        }
        tally.copied++;
        tally.copiedStruct++;
        return true;
    }

    private boolean copyStringInPieces(RedisClusterCommands<byte[], byte[]> src, RedisClusterCommands<byte[], byte[]> dst,
                                       byte[] key, byte[] targetKey, long length, long pttl, TtlClock.Stamp asked,
                                       Tally tally) {
        if (!replace && dst.exists(targetKey) > 0) {
            return false;
        }
        byte[] temp = tempKey(targetKey);
        try {
            for (long at = 0; at < length; at += STRING_CHUNK) {
                rate.acquire(2);
                byte[] piece = src.getrange(key, at, at + STRING_CHUNK - 1);
                if (piece.length == 0) {
                    break; // shrunk or gone meanwhile: a live copy sees the write and copies it again
                }
                dst.append(temp, piece);
            }
            if (dst.exists(temp) == 0) {
                tally.expired++;
                return true;
            }
            if (pttl > 0) {
                ttlClock.expire(dst, temp, asked, pttl);
            }
            if (replace) {
                dst.rename(temp, targetKey);
            } else if (!dst.renamenx(temp, targetKey)) {
                dst.del(temp); // created meanwhile by someone else: theirs stays
                return false;
            }
            temp = null;
            tally.copied++;
            tally.copiedStruct++;
            return true;
        } finally {
            if (temp != null) {
                dst.del(temp); // no half-written leftovers
            }
        }
    }

    private long copyHash(RedisClusterCommands<byte[], byte[]> src, RedisClusterCommands<byte[], byte[]> dst, byte[] key, byte[] temp) {
        long n = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            rate.acquire(1);
            MapScanCursor<byte[], byte[]> c = src.hscan(key, cursor, ScanArgs.Builder.limit(CHUNK));
            Map<byte[], byte[]> fields = c.getMap();
            if (!fields.isEmpty()) {
                if (targetInfo.atLeast(4, 0)) {
                    dst.hset(temp, fields);
                } else {
                    dst.hmset(temp, fields); // 2.8/3.x: HSET takes one field only
                }
                n += fields.size();
            }
            cursor = c;
        } while (!cursor.isFinished());
        return n;
    }

    private long copySet(RedisClusterCommands<byte[], byte[]> src, RedisClusterCommands<byte[], byte[]> dst, byte[] key, byte[] temp) {
        long n = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            rate.acquire(1);
            ValueScanCursor<byte[]> c = src.sscan(key, cursor, ScanArgs.Builder.limit(CHUNK));
            List<byte[]> members = c.getValues();
            if (!members.isEmpty()) {
                dst.sadd(temp, members.toArray(byte[][]::new));
                n += members.size();
            }
            cursor = c;
        } while (!cursor.isFinished());
        return n;
    }

    @SuppressWarnings("unchecked")
    private long copyZset(RedisClusterCommands<byte[], byte[]> src, RedisClusterCommands<byte[], byte[]> dst, byte[] key, byte[] temp) {
        long n = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            rate.acquire(1);
            ScoredValueScanCursor<byte[]> c = src.zscan(key, cursor, ScanArgs.Builder.limit(CHUNK));
            List<ScoredValue<byte[]>> members = c.getValues();
            if (!members.isEmpty()) {
                dst.zadd(temp, members.toArray(ScoredValue[]::new));
                n += members.size();
            }
            cursor = c;
        } while (!cursor.isFinished());
        return n;
    }

    private long copyList(RedisClusterCommands<byte[], byte[]> src, RedisClusterCommands<byte[], byte[]> dst, byte[] key, byte[] temp) {
        long n = 0;
        while (true) {
            rate.acquire(1);
            List<byte[]> items = src.lrange(key, n, n + CHUNK - 1);
            if (items.isEmpty()) {
                return n;
            }
            dst.rpush(temp, items.toArray(byte[][]::new));
            n += items.size();
            if (items.size() < CHUNK) {
                return n;
            }
        }
    }

    /**
     * The entries (XRANGE → XADD with their ids), then the id state, groups, pending entries and consumers; returns
     * at least 1 for a stream that exists (also an empty one), 0 when it vanished.
     */
    private long copyStream(RedisClusterCommands<byte[], byte[]> src, KeyedConnection dst, byte[] key, byte[] temp) {
        long n = 0;
        String from = "-";
        while (true) {
            rate.acquire(1);
            List<StreamMessage<byte[], byte[]>> entries = src.xrange(key, Range.create(from, "+"), Limit.from(CHUNK));
            for (StreamMessage<byte[], byte[]> m : entries) {
                dst.sync().xadd(temp, new XAddArgs().id(m.getId()), m.getBody());
            }
            n += entries.size();
            if (entries.size() < CHUNK) {
                break;
            }
            from = StreamInfo.nextId(entries.get(entries.size() - 1).getId());
        }
        if (!groups.copy(src, dst, key, temp, n)) {
            if (n > 0) {
                dst.sync().del(temp);
            }
            return 0;
        }
        return Math.max(n, 1);
    }

    /**
     * A fresh temporary name in the same cluster slot as {@code targetKey} (RENAME can't cross slots): the key plus a
     * suffix when the key has a {hash tag}, "{key}" plus a suffix when it has no '}', else a suffix found by trial.
     */
    static byte[] tempKey(byte[] targetKey) {
        int slot = SlotHash.getSlot(targetKey);
        byte[] plain = concat(targetKey, suffix());
        if (SlotHash.getSlot(plain) == slot) {
            return plain;
        }
        if (indexOf(targetKey, (byte) '}') < 0) {
            return concat(concat(new byte[] {'{'}, targetKey), concat(new byte[] {'}'}, suffix()));
        }
        while (true) {
            byte[] candidate = concat(targetKey, suffix());
            if (SlotHash.getSlot(candidate) == slot) {
                return candidate;
            }
        }
    }

    private static byte[] suffix() {
        return (":cutover-tmp:" + Long.toHexString(ThreadLocalRandom.current().nextLong())).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String firstLine(String s) {
        String m = String.valueOf(s);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        sources.values().forEach(KeyedConnection::close);
        targets.values().forEach(KeyedConnection::close);
        sourcePipes.values().forEach(KeyedConnection::close);
        targetPipes.values().forEach(KeyedConnection::close);
    }
}
