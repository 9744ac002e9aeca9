package io.cutover.redis.copy;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.Replies;
import io.cutover.redis.connect.RespPipe;
import io.cutover.redis.connect.ServerInfo;
import io.cutover.redis.connect.SlotPipes;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.select.KeyNames;
import io.lettuce.core.RedisFuture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Copies (or deletes on the target) a given batch of keys of one source database, with one pipelined round trip
 * per side over bare RESP connections (plain or TLS): PTTL+TIME+DUMP on the source, RESTORE on the target; keys the
 * target can't load (newer DUMP format) and {@link CopyMode#STRUCT} go type-natively. Reusable by a live sync that
 * learns changed keys by other means. One copier per thread: it owns its connections (one per database on each
 * side).
 */
public final class KeyBatchCopier implements AutoCloseable {
    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopyOptions options;
    private final DbMapping mapping;
    private final RateLimiter rate;
    private final ServerInfo targetInfo;
    private final boolean allStruct;
    private final Map<Integer, KeyedConnection> targetKeyed = new HashMap<>();
    private final Map<Integer, SlotPipes> sourceResp = new HashMap<>();
    private final Map<Integer, SlotPipes> targetResp = new HashMap<>();
    private final StructCopier struct;
    private final TtlClock ttlClock;
    private final Map<RespPipe, OptionalLong> sourceClocks = new IdentityHashMap<>();

    /** A copier using {@code options} (selection, db mapping, mode, replace, dry run, rate). */
    public KeyBatchCopier(RedisEndpoint source, RedisEndpoint target, CopyOptions options) {
        this(source, target, options, options.dbMapping(), new RateLimiter(options.rateOpsPerSecond()));
    }

    KeyBatchCopier(RedisEndpoint source, RedisEndpoint target, CopyOptions options, DbMapping mapping, RateLimiter rate) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.mapping = mapping;
        this.rate = rate;
        this.targetInfo = target.info();
        this.allStruct = useStruct(options.mode(), source.info(), targetInfo);
        this.struct = new StructCopier(source, target, options.replace(), rate, options.workerBatchBytes());
        this.ttlClock = TtlClock.forTarget(target);
    }

    /** Whether every key goes type-natively: asked for, or the target can't load the source's DUMP format. */
    static boolean useStruct(CopyMode mode, ServerInfo source, ServerInfo target) {
        return switch (mode) {
            case STRUCT -> true;
            case DUMP -> false;
            case AUTO -> source.rdbVersion() > target.rdbVersion();
        };
    }

    /** Copies the keys of {@code keys} that the selection keeps. */
    public BatchResult copy(int sourceDb, List<byte[]> keys) {
        List<byte[]> selected = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            if (options.selection().matches(k)) {
                selected.add(k);
            }
        }
        Tally tally = new Tally();
        tally.filtered = keys.size() - selected.size();
        copySelected(sourceDb, selected, tally);
        return tally.toResult();
    }

    /** Removes the target copies of {@code keys} (keys deleted on the source), UNLINK where the target has it. */
    public long delete(int sourceDb, List<byte[]> keys) {
        if (keys.isEmpty() || options.dryRun()) {
            return 0;
        }
        KeyedConnection t = targetKeyed.computeIfAbsent(mapping.targetDb(sourceDb), target::connectKeyedPipelined);
        byte[][] names = keys.stream().map(k -> mapping.targetKey(sourceDb, k)).toArray(byte[][]::new);
        RedisFuture<Long> f = targetInfo.hasUnlink() ? t.async().unlink(names) : t.async().del(names);
        t.flushCommands();
        return Replies.value(target, f);
    }

    /** Copies keys already known to be selected, adding the outcome to {@code tally}. */
    void copySelected(int sourceDb, List<byte[]> keys, Tally tally) {
        if (keys.isEmpty()) {
            return;
        }
        if (options.dryRun()) {
            dryRun(sourceDb, keys, tally);
            return;
        }
        int targetDb = mapping.targetDb(sourceDb);
        if (allStruct) {
            struct.copyBatch(sourceDb, keys, targetDb, keys.stream().map(k -> mapping.targetKey(sourceDb, k)).toList(), tally);
            return;
        }
        copyOverResp(sourceDb, keys, tally);
    }

    private static final byte[] PTTL = RespPipe.ascii("PTTL");
    private static final byte[] DUMP = RespPipe.ascii("DUMP");
    private static final byte[] RESTORE = RespPipe.ascii("RESTORE");
    private static final byte[] REPLACE = RespPipe.ascii("REPLACE");
    private static final byte[] ABSTTL = RespPipe.ascii("ABSTTL");
    private static final byte[] PEXPIREAT = RespPipe.ascii("PEXPIREAT");
    private static final byte[] DEL = RespPipe.ascii("DEL");
    private static final byte[] TIME = RespPipe.ascii("TIME");
    /** The smallest proto-max-bulk-len a server accepts: a longer payload may be refused by its setting. */
    private static final long MIN_PROTO_MAX_BULK_LEN = 1L << 20;
    private static final int TAIL = 10; // DUMP trailer: RDB version (2 bytes) + CRC64 (8 bytes)

    /**
     * The DUMP/RESTORE path over bare RESP: PTTL+DUMP for the whole batch in one write; each payload streams from
     * the source's reply straight into a RESTORE on the target, so no payload is held in memory; then the target's
     * replies are read in one go. A payload is remembered by its length and trailer (version + CRC64) only.
     */
    private void copyOverResp(int sourceDb, List<byte[]> keys, Tally tally) {
        int n = keys.size();
        rate.acquire(2L * n);
        int targetDb = mapping.targetDb(sourceDb);
        boolean delFirst = options.replace() && !targetInfo.hasRestoreReplace();
        boolean replaceArg = options.replace() && !delFirst;
        SlotPipes sources = sourceResp.computeIfAbsent(sourceDb, d -> new SlotPipes(source, d));
        SlotPipes targets = targetResp.computeIfAbsent(targetDb, d -> new SlotPipes(target, d));
        try {
            RespPipe[] from = new RespPipe[n];
            for (int i = 0; i < n; i++) {
                byte[] k = keys.get(i);
                from[i] = sources.forKey(k);
                sourceOffset(from[i]); // on first use, before anything is queued on it
                from[i].command(PTTL, k);
            }
            // one round trip: PTTLs, then the source's TIME, then the DUMPs. The TIME, read right after the TTLs,
            // stamps them with when the source read them, however long the payloads take to arrive after it.
            // Without the source's clock (TIME refused) the TTLs take a round trip of their own.
            List<RespPipe> pipes = sources.opened();
            Map<RespPipe, Long> offsets = new IdentityHashMap<>();
            for (RespPipe p : pipes) {
                OptionalLong offset = sourceOffset(p);
                if (offset.isPresent()) {
                    offsets.put(p, offset.getAsLong());
                    p.command(TIME);
                }
            }
            boolean separate = offsets.size() < pipes.size();
            if (separate) {
                sources.flush();
            } else {
                for (int i = 0; i < n; i++) {
                    from[i].command(DUMP, keys.get(i));
                }
                sources.flush();
            }
            long[] ttls = new long[n];
            String[] ttlErrors = new String[n];
            for (int i = 0; i < n; i++) {
                try {
                    ttls[i] = from[i].integer();
                } catch (RespPipe.ReplyError e) {
                    ttlErrors[i] = e.getMessage();
                }
            }
            Map<RespPipe, TtlClock.Stamp> stamps = new IdentityHashMap<>();
            for (RespPipe p : pipes) {
                Long offset = offsets.get(p);
                if (offset != null) {
                    stamps.put(p, TtlClock.stampAt(p.timeMillis(), offset));
                }
            }
            if (separate) {
                TtlClock.Stamp arrived = TtlClock.stamp();
                pipes.forEach(p -> stamps.putIfAbsent(p, arrived));
                for (int i = 0; i < n; i++) {
                    from[i].command(DUMP, keys.get(i));
                }
                sources.flush();
            }
            byte[][] targetKeys = new byte[n][];
            RespPipe[] via = new RespPipe[n];
            long[] length = new long[n];
            byte[][] tails = new byte[n][];
            boolean[] expireAfter = new boolean[n];
            byte[] scratch = new byte[TAIL];
            for (int i = 0; i < n; i++) {
                RespPipe s = from[i];
                String err = ttlErrors[i];
                long ttl = ttls[i];
                TtlClock.Stamp asked = stamps.get(s);
                int type = s.type();
                if (type == '-') {
                    String e2 = s.line();
                    tally.failed(new KeyFailure(sourceDb, KeyNames.display(keys.get(i)), err != null ? err : e2));
                    continue;
                }
                if (type != '$') {
                    throw s.unexpected(type);
                }
                long len = s.number();
                if (err != null || len < 0 || ttl == -2 || ttl == 0) {
                    if (len >= 0) {
                        s.skipPayload(len, scratch);
                    }
                    if (err != null) {
                        tally.failed(new KeyFailure(sourceDb, KeyNames.display(keys.get(i)), err));
                    } else {
                        tally.expired++;
                    }
                    continue;
                }
                byte[] tk = mapping.targetKey(sourceDb, keys.get(i));
                targetKeys[i] = tk;
                RespPipe t = targets.forKey(tk);
                via[i] = t;
                if (delFirst) {
                    t.command(DEL, tk); // 2.8 has no RESTORE … REPLACE
                }
                boolean abs = ttlClock.absolute() && ttl > 0;
                t.arrayHeader(4 + (replaceArg ? 1 : 0) + (abs ? 1 : 0));
                t.bulk(RESTORE);
                t.bulk(tk);
                t.bulk(ttlClock.restoreTtl(asked, ttl)); // counted from the read, at the moment it is written
                t.bulkHeader(len);
                tails[i] = new byte[TAIL];
                try {
                    s.transfer(len, t, tails[i]);
                } catch (RespPipe.WriteFailed e) {
                    // the target hangs up on an argument longer than its proto-max-bulk-len
                    throw len > MIN_PROTO_MAX_BULK_LEN
                            ? MemoryLimit.tooLong(target, sourceDb, keys.get(i), len, "closed the connection while receiving")
                            : target.failure(e);
                }
                t.crlf();
                if (replaceArg) {
                    t.bulk(REPLACE);
                }
                if (abs) {
                    t.bulk(ABSTTL);
                }
                if (ttl > 0 && options.replace() && ttlClock.pexpireAtAfterRestore()) { // never on a key we didn't write
                    t.arrayHeader(3);
                    t.bulk(PEXPIREAT);
                    t.bulk(tk);
                    t.bulk(ttlClock.at(asked, ttl)); // exact, whenever the RESTORE runs
                    expireAfter[i] = true;
                }
                length[i] = len;
            }
            targets.flush();
            List<Integer> busy = new ArrayList<>();
            List<Integer> viaStruct = new ArrayList<>();
            int loadable = targetInfo.rdbVersion();
            for (int i = 0; i < n; i++) {
                if (targetKeys[i] == null) {
                    continue;
                }
                RespPipe t = via[i];
                if (delFirst) {
                    t.skipReply();
                }
                try {
                    t.skipStatus();
                    tally.copied++;
                    tally.bytes += length[i];
                    if (expireAfter[i]) {
                        t.skipReply();
                    }
                } catch (RespPipe.ReplyError e) {
                    if (expireAfter[i]) {
                        t.skipReply(); // 0: the RESTORE failed, so there was no key to expire
                    }
                    String m = e.getMessage();
                    if (MemoryLimit.outOfMemory(m)) {
                        throw MemoryLimit.targetFull(target, sourceDb, keys.get(i), length[i], m);
                    } else if (MemoryLimit.bulkTooLong(m)) {
                        throw MemoryLimit.tooLong(target, sourceDb, keys.get(i), length[i], "refused");
                    } else if (m.startsWith("BUSYKEY") || m.contains("Target key name is busy")) {
                        busy.add(i);
                    } else if (version(tails[i]) > loadable) {
                        viaStruct.add(i); // a format this target can't load: copy it type-natively
                    } else {
                        tally.failed(new KeyFailure(sourceDb, KeyNames.display(keys.get(i)), m));
                    }
                }
            }
            if (!busy.isEmpty()) {
                for (int i : busy) {
                    via[i].command(DUMP, targetKeys[i]);
                }
                targets.flush();
                for (int i : busy) {
                    RespPipe t = via[i];
                    int type = t.type();
                    long len = type == '$' ? t.number() : -1;
                    boolean same = false;
                    if (type != '$') {
                        t.unexpected(type); // consumes it
                    } else if (len >= 0) {
                        t.skipPayload(len, scratch);
                        same = len == length[i] && Arrays.equals(scratch, tails[i]);
                    }
                    if (same || struct.sameValue(sourceDb, keys.get(i), targetDb, targetKeys[i])) {
                        tally.unchanged++;
                    } else {
                        tally.existing(KeyNames.display(targetKeys[i]));
                    }
                }
            }
            for (int i : viaStruct) {
                struct.copy(sourceDb, keys.get(i), targetDb, targetKeys[i], tally);
            }
        } catch (IOException | CutoverException e) {
            // the pipes are out of step now: drop them (a caller that goes on gets fresh ones)
            sourceResp.remove(sourceDb).close();
            sourceClocks.clear();
            targetResp.remove(targetDb).close();
            throw e instanceof CutoverException ce ? ce : RedisCopy.failure(source, target, e);
        }
    }

    /**
     * The source's clock offset for {@code pipe}, measured with a round trip of its own the first time (so only
     * while nothing else is queued on it); empty when the source refuses TIME.
     */
    private OptionalLong sourceOffset(RespPipe pipe) throws IOException {
        OptionalLong o = sourceClocks.get(pipe);
        if (o == null) {
            o = TtlClock.sourceOffset(pipe);
            sourceClocks.put(pipe, o);
        }
        return o;
    }

    private static int version(byte[] tail) {
        return (tail[0] & 0xff) | ((tail[1] & 0xff) << 8);
    }

    /** Counts what a real run would do: keys present on the target are "existing" unless --replace. */
    private void dryRun(int sourceDb, List<byte[]> keys, Tally tally) {
        KeyedConnection t = targetKeyed.computeIfAbsent(mapping.targetDb(sourceDb), target::connectKeyedPipelined);
        List<RedisFuture<Long>> exists = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            exists.add(t.async().exists(mapping.targetKey(sourceDb, k)));
        }
        t.flushCommands();
        for (int i = 0; i < keys.size(); i++) {
            if (!options.replace() && Replies.value(target, exists.get(i)) > 0) {
                tally.existing(KeyNames.display(mapping.targetKey(sourceDb, keys.get(i))));
            } else {
                tally.copied++;
            }
        }
    }

    @Override
    public void close() {
        struct.close();
        targetKeyed.values().forEach(KeyedConnection::close);
        sourceResp.values().forEach(SlotPipes::close);
        targetResp.values().forEach(SlotPipes::close);
    }
}
