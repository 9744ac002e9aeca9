package io.cutover.redis.verify;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.KeyScan;
import io.cutover.redis.connect.KeyedConnection;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.Replies;
import io.cutover.redis.connect.RespPipe;
import io.cutover.redis.connect.ServerInfo;
import io.cutover.redis.connect.SlotPipes;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.values.SameValue;
import io.cutover.redis.values.ValueDigest;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares source and target key by key within a selection and db mapping (the same semantics as copy): keys
 * missing on the target, extra on the target, of another type, with another value or another expiry.
 * <p>
 * When both servers write the same RDB version, each batch sends {@code PTTL}+{@code DUMP} per key on both sides in
 * one round trip over bare RESP connections and compares the payloads as they stream in; only keys whose payloads
 * differ (equal values can be encoded differently) or could not be read are compared again type-natively. Across
 * versions every key is compared type-natively: types, TTLs, lengths, then a canonical digest read in chunks.
 * Batches run on several lanes at once. Keys that expire or vanish on the source while we look are re-checked and
 * not reported.
 */
public final class RedisVerify {
    /** Keys with more elements (or string bytes) than this are digested in chunks instead of DUMPed whole. */
    static final long BIG_ELEMENTS = 5_000;
    static final long BIG_STRING_BYTES = 512 * 1024;
    /**
     * Batches compared at once, each on connections of its own. One lane left each server idle while the other
     * answered or while replies were parsed here; measured on 1M keys, see docs/benchmarks.md.
     */
    static final int LANES = 4;
    private static final byte[] PTTL = RespPipe.ascii("PTTL");
    private static final byte[] DUMP = RespPipe.ascii("DUMP");
    private static final byte[] EXISTS = RespPipe.ascii("EXISTS");

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final VerifyOptions options;
    private final Progress progress;
    private final Random random = new Random();

    private Findings total;
    private DbMapping mapping;
    private boolean sameRdb;

    public RedisVerify(RedisEndpoint source, RedisEndpoint target, VerifyOptions options, Progress progress) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.progress = progress == null ? Progress.silent() : progress;
    }

    public RedisVerify(RedisEndpoint source, RedisEndpoint target, VerifyOptions options) {
        this(source, target, options, Progress.silent());
    }

    /** Runs the comparison once (create a new instance for another run). */
    public VerifyReport run() {
        long start = System.nanoTime();
        total = new Findings(options.maxDiffs());
        ServerInfo si = source.refreshInfo();
        ServerInfo ti = target.refreshInfo();
        sameRdb = si.rdbVersion() == ti.rdbVersion();
        List<Integer> dbs = source.cluster() || target.cluster() ? clusterScope() : scope(si, ti);
        mapping = options.dbMapping().resolve(dbs, target.uri().db());
        progress.total(dbs.stream().mapToLong(db -> source.keyCount(db, options.selection().slots())).sum());
        if (options.sample() > 0) {
            runSample(dbs);
        } else {
            runFull(dbs);
        }
        return new VerifyReport(total.total() == 0, total.checked, total.targetChecked, total.vanished, total.uncompared,
                sameRdb ? "dump" : "digest", options.sample() > 0, new LinkedHashMap<>(total.counts()),
                List.copyOf(total.listed()), (System.nanoTime() - start) / 1_000_000);
    }

    private synchronized void add(Findings f) {
        total.add(f);
    }

    /**
     * Source databases to check: the one in the source URI, else those holding keys on the source plus those whose
     * counterpart on the target holds keys (so extra keys in a db the source left empty are found).
     */
    private List<Integer> scope(ServerInfo si, ServerInfo ti) {
        if (source.uri().db() >= 0) {
            return List.of(source.uri().db());
        }
        TreeSet<Integer> dbs = new TreeSet<>(si.keysPerDb().keySet());
        if (target.uri().db() < 0) {
            for (int t : ti.keysPerDb().keySet()) {
                if (options.dbMapping().targetDb(t) == t) {
                    dbs.add(t);
                }
            }
        }
        return List.copyOf(dbs);
    }

    /** With a cluster on either side: the source's databases (0 on a cluster), each going to database 0 of a cluster. */
    private List<Integer> clusterScope() {
        List<Integer> dbs = source.databasesInScope();
        DbMapping m = options.dbMapping().resolve(dbs, target.uri().db());
        for (int s : dbs) {
            target.checkClusterDatabase(m.targetDb(s), s);
        }
        return dbs;
    }

    /** The connections of one lane: bare RESP pipes per database for the fast path, Lettuce for the rest. */
    private final class Lane implements AutoCloseable {
        private final Map<Integer, SlotPipes> sourcePipes = new HashMap<>();
        private final Map<Integer, SlotPipes> targetPipes = new HashMap<>();
        private final Map<Integer, KeyedConnection> sourceKeyed = new HashMap<>();
        private final Map<Integer, KeyedConnection> targetKeyed = new HashMap<>();

        SlotPipes sourcePipes(int db) {
            return sourcePipes.computeIfAbsent(db, d -> new SlotPipes(source, d));
        }

        SlotPipes targetPipes(int db) {
            return targetPipes.computeIfAbsent(db, d -> new SlotPipes(target, d));
        }

        KeyedConnection sourceKeyed(int db) {
            return sourceKeyed.computeIfAbsent(db, source::connectKeyedPipelined);
        }

        KeyedConnection targetKeyed(int db) {
            return targetKeyed.computeIfAbsent(db, target::connectKeyedPipelined);
        }

        @Override
        public void close() {
            sourcePipes.values().forEach(SlotPipes::close);
            targetPipes.values().forEach(SlotPipes::close);
            sourceKeyed.values().forEach(KeyedConnection::close);
            targetKeyed.values().forEach(KeyedConnection::close);
        }
    }

    private Lanes<Lane> lanes(int n) {
        return new Lanes<>(n, Lane::new, options.maxDiffs(), this::add);
    }

    /** Compares a batch of selected source keys of db {@code s}: by DUMP when the RDB versions match. */
    private void checkBatch(Lane lane, Findings f, int s, List<byte[]> keys) throws IOException {
        if (sameRdb) {
            checkByDump(lane, f, s, keys);
        } else {
            checkKeys(f, s, lane.sourceKeyed(s), lane.targetKeyed(mapping.targetDb(s)), keys);
        }
    }

    private void runFull(List<Integer> dbs) {
        String match = options.selection().scanMatch().orElse(null);
        Lanes<Lane> lanes = lanes(LANES);
        try {
            for (int s : dbs) {
                progress.detail("db " + s);
                KeyScan.each(source, s, match, options.batch(), page -> {
                    List<byte[]> keys = selected(page);
                    if (!keys.isEmpty()) {
                        lanes.submit((lane, f) -> checkBatch(lane, f, s, keys));
                    }
                });
            }
            for (int t : new TreeSet<>(dbs.stream().map(mapping::targetDb).toList())) {
                List<Integer> sources = mapping.sourcesOf(t, new TreeSet<>(dbs));
                boolean unprefixed = sources.stream().allMatch(s -> mapping.prefix(s).isEmpty());
                KeyScan.each(target, t, unprefixed ? match : null, options.batch(), page -> {
                    List<byte[]> keys = unprefixed ? selected(page) : page;
                    if (!keys.isEmpty()) {
                        lanes.submit((lane, f) -> checkExtras(lane, f, t, sources, keys));
                    }
                });
            }
        } finally {
            lanes.finish();
        }
    }

    private List<byte[]> selected(List<byte[]> page) {
        List<byte[]> keys = new ArrayList<>(page.size());
        for (byte[] k : page) {
            if (options.selection().matches(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    private void runSample(List<Integer> dbs) {
        // reservoir samples: every selected key has the same chance, memory holds only the sample
        List<Map.Entry<Integer, byte[]>> sourceSample = new ArrayList<>();
        long[] seen = {0};
        String match = options.selection().scanMatch().orElse(null);
        for (int s : dbs) {
            KeyScan.each(source, s, match, options.batch(),
                    page -> selected(page).forEach(k -> offer(sourceSample, Map.entry(s, k), ++seen[0])));
        }
        Map<Integer, List<byte[]>> targetSamples = new TreeMap<>();
        for (int t : new TreeSet<>(dbs.stream().map(mapping::targetDb).toList())) {
            List<Integer> sources = mapping.sourcesOf(t, new TreeSet<>(dbs));
            List<byte[]> sample = new ArrayList<>();
            long[] n = {0};
            KeyScan.each(target, t, null, options.batch(), page -> {
                for (byte[] k : page) {
                    if (!candidates(k, sources).isEmpty()) {
                        offer(sample, k, ++n[0]);
                    }
                }
            });
            targetSamples.put(t, sample);
        }
        Lanes<Lane> lanes = lanes(1);
        try {
            for (int s : dbs) {
                List<byte[]> keys = sourceSample.stream().filter(e -> e.getKey() == s).map(Map.Entry::getValue).toList();
                for (int i = 0; i < keys.size(); i += options.batch()) {
                    List<byte[]> batch = keys.subList(i, Math.min(keys.size(), i + options.batch()));
                    lanes.submit((lane, f) -> checkBatch(lane, f, s, batch));
                }
            }
            targetSamples.forEach((t, sample) -> {
                List<Integer> sources = mapping.sourcesOf(t, new TreeSet<>(dbs));
                for (int i = 0; i < sample.size(); i += options.batch()) {
                    List<byte[]> batch = sample.subList(i, Math.min(sample.size(), i + options.batch()));
                    lanes.submit((lane, f) -> checkExtras(lane, f, t, sources, batch));
                }
            });
        } finally {
            lanes.finish();
        }
    }

    private <T> void offer(List<T> reservoir, T item, long seenSoFar) {
        if (reservoir.size() < options.sample()) {
            reservoir.add(item);
        } else {
            long j = (long) (random.nextDouble() * seenSoFar);
            if (j < options.sample()) {
                reservoir.set((int) j, item);
            }
        }
    }

    /**
     * Compares a batch by DUMP (same RDB version): PTTL+DUMP of every key on both sides in one round trip, payloads
     * compared as they arrive, a buffer at a time. Equal payloads mean equal type and value. A key whose payloads
     * differ, or whose replies were errors, is compared again by {@link #checkKeys} (types, lengths, canonical
     * digest), which decides; so an encoding difference is never reported as a value difference.
     */
    private void checkByDump(Lane lane, Findings f, int s, List<byte[]> keys) {
        int t = mapping.targetDb(s);
        int n = keys.size();
        SlotPipes sp = lane.sourcePipes(s);
        SlotPipes tp = lane.targetPipes(t);
        RespPipe[] a = new RespPipe[n];
        RespPipe[] b = new RespPipe[n];
        byte[][] tkeys = new byte[n][];
        try {
            for (int i = 0; i < n; i++) {
                byte[] k = keys.get(i);
                tkeys[i] = mapping.targetKey(s, k);
                a[i] = sp.forKey(k);
                a[i].command(PTTL, k);
                a[i].command(DUMP, k);
                b[i] = tp.forKey(tkeys[i]);
                b[i].command(PTTL, tkeys[i]);
                b[i].command(DUMP, tkeys[i]);
            }
            sp.flush();
            tp.flush();
        } catch (IOException e) {
            throw source.failure(e);
        }
        List<byte[]> again = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        long[] sourceTtl = new long[n];
        long tolerance = options.ttlTolerance().toMillis();
        for (int i = 0; i < n; i++) {
            Reply x = read(a[i], source);
            Reply y = read(b[i], target);
            boolean same = false;
            try {
                if (x.error == null && y.error == null) {
                    same = a[i].sameBulk(x.length, b[i], y.length);
                } else {
                    a[i].skipBulk(x.length);
                    b[i].skipBulk(y.length);
                }
            } catch (IOException e) {
                throw source.failure(e);
            }
            if (x.error != null || y.error != null) {
                again.add(keys.get(i));
                continue;
            }
            sourceTtl[i] = x.pttl;
            if (x.pttl == -2 || x.length < 0) {
                f.vanished++;
                continue;
            }
            if (y.pttl == -2 || y.length < 0) {
                f.checked++;
                missing.add(i);
                continue;
            }
            if (!same) {
                again.add(keys.get(i));
                continue;
            }
            f.checked++;
            if ((x.pttl == -1) != (y.pttl == -1) || (x.pttl >= 0 && Math.abs(x.pttl - y.pttl) > tolerance)) {
                f.diff(DiffKind.TTL, s, keys.get(i), t, tkeys[i], ttlDetail(x.pttl, y.pttl, tolerance));
            }
        }
        progress.add(n - again.size());
        if (!missing.isEmpty() || !again.isEmpty()) {
            KeyedConnection src = lane.sourceKeyed(s);
            KeyedConnection tgt = lane.targetKeyed(t);
            recheckMissing(f, s, t, src, tgt, keys, tkeys, sourceTtl, missing);
            if (!again.isEmpty()) {
                checkKeys(f, s, src, tgt, again, true);
            }
        }
    }

    /** A key's PTTL and the header of its DUMP reply (length -1: no such key), or the error either gave. */
    private record Reply(long pttl, long length, String error) {
    }

    private static Reply read(RespPipe p, RedisEndpoint side) {
        try {
            String error = null;
            long pttl = 0;
            try {
                pttl = p.integer();
            } catch (RespPipe.ReplyError e) {
                error = e.getMessage();
            }
            int type = p.type();
            if (type == '$') {
                return new Reply(pttl, p.number(), error);
            }
            String e2 = p.unexpected(type).getMessage(); // consumes it
            return new Reply(pttl, -1, error != null ? error : e2);
        } catch (IOException e) {
            throw side.failure(e);
        }
    }

    /** Compares a batch of selected source keys of db {@code s} with their counterparts in target db {@code t}. */
    private void checkKeys(Findings f, int s, KeyedConnection src, KeyedConnection tgt, List<byte[]> keys) {
        checkKeys(f, s, src, tgt, keys, false);
    }

    /**
     * Compares a batch of selected source keys of db {@code s} type-natively; {@code digestOnly} skips the DUMP
     * comparison (the caller found the payloads different already).
     */
    private void checkKeys(Findings f, int s, KeyedConnection src, KeyedConnection tgt, List<byte[]> keys,
                           boolean digestOnly) {
        int t = mapping.targetDb(s);
        int n = keys.size();
        RedisClusterAsyncCommands<byte[], byte[]> a = src.async();
        RedisClusterAsyncCommands<byte[], byte[]> b = tgt.async();
        byte[][] tkeys = new byte[n][];
        List<RedisFuture<String>> sType = new ArrayList<>(n);
        List<RedisFuture<String>> tType = new ArrayList<>(n);
        List<RedisFuture<Long>> sTtl = new ArrayList<>(n);
        List<RedisFuture<Long>> tTtl = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tkeys[i] = mapping.targetKey(s, keys.get(i));
            sType.add(a.type(keys.get(i)));
            sTtl.add(a.pttl(keys.get(i)));
            tType.add(b.type(tkeys[i]));
            tTtl.add(b.pttl(tkeys[i]));
        }
        src.flushCommands();
        tgt.flushCommands();
        List<Integer> missing = new ArrayList<>();
        List<Integer> compare = new ArrayList<>();
        String[] types = new String[n];
        long[] sourceTtl = new long[n];
        long tolerance = options.ttlTolerance().toMillis();
        for (int i = 0; i < n; i++) {
            String st = Replies.await(source, sType.get(i));
            long sp = Replies.await(source, sTtl.get(i));
            String tt = Replies.await(target, tType.get(i));
            long tp = Replies.await(target, tTtl.get(i));
            sourceTtl[i] = sp;
            if ("none".equals(st) || sp == -2) {
                f.vanished++;
                continue;
            }
            f.checked++;
            if ("none".equals(tt) || tp == -2) {
                missing.add(i);
                continue;
            }
            if (!st.equals(tt)) {
                f.diff(DiffKind.TYPE, s, keys.get(i), t, tkeys[i], st + " on source, " + tt + " on target");
                continue;
            }
            if ((sp == -1) != (tp == -1) || (sp >= 0 && Math.abs(sp - tp) > tolerance)) {
                f.diff(DiffKind.TTL, s, keys.get(i), t, tkeys[i], ttlDetail(sp, tp, tolerance));
            }
            types[i] = st;
            compare.add(i);
        }
        progress.add(n);
        recheckMissing(f, s, t, src, tgt, keys, tkeys, sourceTtl, missing);
        compareValues(f, s, t, src, tgt, keys, tkeys, types, compare, digestOnly);
    }

    /** A key missing on the target is a difference only if it still exists on the source (it may have expired). */
    private void recheckMissing(Findings f, int s, int t, KeyedConnection src,
                                KeyedConnection tgt, List<byte[]> keys, byte[][] tkeys,
                                long[] sourceTtl, List<Integer> missing) {
        if (missing.isEmpty()) {
            return;
        }
        List<RedisFuture<Long>> sExists = new ArrayList<>();
        List<RedisFuture<Long>> tExists = new ArrayList<>();
        for (int i : missing) {
            sExists.add(src.async().exists(keys.get(i)));
            tExists.add(tgt.async().exists(tkeys[i]));
        }
        src.flushCommands();
        tgt.flushCommands();
        for (int j = 0; j < missing.size(); j++) {
            int i = missing.get(j);
            long se = Replies.await(source, sExists.get(j));
            long te = Replies.await(target, tExists.get(j));
            boolean aboutToExpire = sourceTtl[i] >= 0 && sourceTtl[i] <= options.ttlTolerance().toMillis();
            if (se == 0 || aboutToExpire) {
                f.checked--;
                f.vanished++;
            } else if (te == 0) {
                f.diff(DiffKind.MISSING, s, keys.get(i), t, tkeys[i], "not on target");
            }
        }
    }

    private void compareValues(Findings f, int s, int t, KeyedConnection src,
                               KeyedConnection tgt, List<byte[]> keys, byte[][] tkeys,
                               String[] types, List<Integer> compare, boolean digestOnly) {
        if (compare.isEmpty()) {
            return;
        }
        Map<Integer, RedisFuture<Long>> sLen = new TreeMap<>();
        Map<Integer, RedisFuture<Long>> tLen = new TreeMap<>();
        for (int i : compare) {
            RedisFuture<Long> x = SameValue.length(src.async(), types[i], keys.get(i));
            if (x != null) {
                sLen.put(i, x);
                tLen.put(i, SameValue.length(tgt.async(), types[i], tkeys[i]));
            }
        }
        src.flushCommands();
        tgt.flushCommands();
        List<Integer> dump = new ArrayList<>();
        List<Integer> digest = new ArrayList<>();
        Map<Integer, Long> lengths = new TreeMap<>();
        for (int i : compare) {
            if (!sLen.containsKey(i)) {
                if (sameRdb && !digestOnly) {
                    dump.add(i);
                } else if (sameRdb) {
                    f.diff(DiffKind.VALUE, s, keys.get(i), t, tkeys[i], types[i] + ": DUMP payloads differ");
                } else {
                    f.uncompared++;
                }
                continue;
            }
            Long x = Replies.awaitOrNull(source, sLen.get(i));
            Long y = Replies.awaitOrNull(target, tLen.get(i));
            if (x != null && y != null && !x.equals(y)) {
                f.diff(DiffKind.VALUE, s, keys.get(i), t, tkeys[i],
                        types[i] + " of " + x + " " + unit(types[i]) + " on source, " + y + " on target");
                continue;
            }
            long len = x == null ? -1 : x;
            lengths.put(i, len);
            boolean big = "string".equals(types[i]) ? len > BIG_STRING_BYTES : len > BIG_ELEMENTS;
            if (sameRdb && !big && !digestOnly) {
                dump.add(i);
            } else {
                digest.add(i);
            }
        }
        if (!dump.isEmpty()) {
            List<RedisFuture<byte[]>> sDump = new ArrayList<>();
            List<RedisFuture<byte[]>> tDump = new ArrayList<>();
            for (int i : dump) {
                sDump.add(src.async().dump(keys.get(i)));
                tDump.add(tgt.async().dump(tkeys[i]));
            }
            src.flushCommands();
            tgt.flushCommands();
            for (int j = 0; j < dump.size(); j++) {
                int i = dump.get(j);
                byte[] x = Replies.awaitOrNull(source, sDump.get(j));
                byte[] y = Replies.awaitOrNull(target, tDump.get(j));
                if (x != null && Arrays.equals(x, y)) {
                    continue;
                }
                if (ValueDigest.supports(types[i])) {
                    digest.add(i); // equal values may still be encoded differently (listpack vs hashtable)
                } else {
                    f.diff(DiffKind.VALUE, s, keys.get(i), t, tkeys[i], types[i] + ": DUMP payloads differ");
                }
            }
        }
        List<byte[]> sk = new ArrayList<>(digest.size());
        List<byte[]> tk = new ArrayList<>(digest.size());
        List<String> ty = new ArrayList<>(digest.size());
        List<Long> len = new ArrayList<>(digest.size());
        for (int i : digest) {
            sk.add(keys.get(i));
            tk.add(tkeys[i]);
            ty.add(types[i]);
            len.add(lengths.getOrDefault(i, -1L));
        }
        boolean[] same = SameValue.digestsEqual(source, src, sk, target, tgt, tk, ty, len);
        for (int j = 0; j < digest.size(); j++) {
            if (!same[j]) {
                int i = digest.get(j);
                f.diff(DiffKind.VALUE, s, keys.get(i), t, tkeys[i], types[i] + ": values differ");
            }
        }
    }

    /**
     * Checks a batch of target keys of db {@code t}: selected ones that exist in none of their source dbs are extra.
     * One round trip of EXISTS on the source; the few not found there are looked at again on the target.
     */
    private void checkExtras(Lane lane, Findings f, int t, List<Integer> sources, List<byte[]> keys) {
        List<byte[]> checkedKeys = new ArrayList<>();
        List<List<Map.Entry<Integer, byte[]>>> cands = new ArrayList<>();
        List<RespPipe> asked = new ArrayList<>();
        try {
            for (byte[] k : keys) {
                List<Map.Entry<Integer, byte[]>> c = candidates(k, sources);
                if (c.isEmpty()) {
                    continue;
                }
                for (Map.Entry<Integer, byte[]> e : c) {
                    RespPipe p = lane.sourcePipes(e.getKey()).forKey(e.getValue());
                    p.command(EXISTS, e.getValue());
                    asked.add(p);
                }
                checkedKeys.add(k);
                cands.add(c);
            }
            for (int s : sources) {
                lane.sourcePipes(s).flush();
            }
            List<Integer> extra = new ArrayList<>();
            int at = 0;
            for (int i = 0; i < checkedKeys.size(); i++) {
                boolean found = false;
                for (int j = 0; j < cands.get(i).size(); j++) {
                    found |= asked.get(at++).integer() > 0;
                }
                if (!found) {
                    extra.add(i);
                }
            }
            f.targetChecked += checkedKeys.size();
            if (extra.isEmpty()) {
                return;
            }
            // it may have expired on the target meanwhile, or be about to (its source twin just did)
            SlotPipes tp = lane.targetPipes(t);
            for (int i : extra) {
                tp.forKey(checkedKeys.get(i)).command(PTTL, checkedKeys.get(i));
            }
            tp.flush();
            for (int i : extra) {
                long pttl = tp.forKey(checkedKeys.get(i)).integer();
                if (pttl == -1 || pttl > options.ttlTolerance().toMillis()) {
                    Map.Entry<Integer, byte[]> c = cands.get(i).get(0);
                    f.diff(DiffKind.EXTRA, c.getKey(), c.getValue(), t, checkedKeys.get(i), "not on source");
                }
            }
        } catch (IOException e) {
            throw source.failure(e);
        }
    }

    /** The source (db, key) pairs a target key may come from within the selection. */
    private List<Map.Entry<Integer, byte[]>> candidates(byte[] targetKey, List<Integer> sources) {
        List<Map.Entry<Integer, byte[]>> out = new ArrayList<>(1);
        for (int s : sources) {
            byte[] sk = mapping.sourceKey(s, targetKey);
            if (sk != null && options.selection().matches(sk)) {
                out.add(Map.entry(s, sk));
            }
        }
        return out;
    }

    private static String unit(String type) {
        return switch (type) {
            case "string" -> "bytes";
            case "hash" -> "fields";
            case "stream" -> "entries";
            default -> "elements";
        };
    }

    /**
     * Both TTLs in milliseconds (rounded text could show two different TTLs as the same), and how far apart they are
     * against the tolerance.
     */
    static String ttlDetail(long sourcePttl, long targetPttl, long toleranceMs) {
        String sides = ttl(sourcePttl) + " on source, " + ttl(targetPttl) + " on target";
        return sourcePttl < 0 || targetPttl < 0 ? sides
                : sides + " (" + Math.abs(sourcePttl - targetPttl) + " ms apart, tolerance " + toleranceMs + " ms)";
    }

    private static String ttl(long pttl) {
        return pttl < 0 ? "no TTL" : "TTL " + pttl + " ms";
    }
}
