package io.cutover.redis.verify;

import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.ServerInfo;
import io.cutover.redis.select.KeyNames;
import io.cutover.redis.inventory.Keyspace;
import io.cutover.redis.select.KeySelection;
import io.lettuce.core.RedisFuture;
import io.cutover.redis.connect.KeyedConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares source and target key by key within a selection and db mapping (the same semantics as copy): keys
 * missing on the target, extra on the target, of another type, with another value or another expiry. Values are
 * compared by DUMP payload when both servers write the same RDB version, falling back to a canonical digest of
 * type-native reads when payloads differ (equal values can be encoded differently) or versions differ.
 * Keys that expire or vanish on the source while we look are re-checked and not reported.
 */
public final class RedisVerify {
    /** Keys with more elements (or string bytes) than this are digested in chunks instead of DUMPed whole. */
    static final long BIG_ELEMENTS = 5_000;
    static final long BIG_STRING_BYTES = 512 * 1024;
    private static final int DIGEST_GROUP = 64;

    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final VerifyOptions options;
    private final Progress progress;
    private final Random random = new Random();

    private final EnumMap<DiffKind, Long> counts = new EnumMap<>(DiffKind.class);
    private final List<Difference> first = new ArrayList<>();
    private long checked;
    private long targetChecked;
    private long vanished;
    private long uncompared;
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
        for (DiffKind k : DiffKind.values()) {
            counts.put(k, 0L);
        }
        ServerInfo si = source.refreshInfo();
        ServerInfo ti = target.refreshInfo();
        sameRdb = si.rdbVersion() == ti.rdbVersion();
        List<Integer> dbs = source.cluster() || target.cluster() ? clusterScope() : scope(si, ti);
        progress.total(dbs.stream().mapToLong(db -> source.keyCount(db)).sum());
        if (options.sample() > 0) {
            runSample(dbs);
        } else {
            runFull(dbs);
        }
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        return new VerifyReport(total == 0, checked, targetChecked, vanished, uncompared, sameRdb ? "dump" : "digest",
                options.sample() > 0, new LinkedHashMap<>(counts), List.copyOf(first),
                (System.nanoTime() - start) / 1_000_000);
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
                if (targetDbOf(t) == t) {
                    dbs.add(t);
                }
            }
        }
        if (target.uri().db() >= 0 && dbs.size() > 1
                && !dbs.stream().allMatch(db -> options.dbMapping().rules().containsKey(db))) {
            // as for copy: one target database can't stand for several source databases without --db-map
            throw io.cutover.core.error.CutoverException.usage("--target names database " + target.uri().db()
                    + " but the source has databases " + dbs + ": say where each goes with --db-map SRC:DST");
        }
        return List.copyOf(dbs);
    }

    /** With a cluster on either side: the source's databases (0 on a cluster), each going to database 0 of a cluster. */
    private List<Integer> clusterScope() {
        List<Integer> dbs = source.databasesInScope();
        for (int s : dbs) {
            target.checkClusterDatabase(targetDbOf(s), s);
        }
        return dbs;
    }

    /** Where source db {@code s} lives on the target: --db-map, else the target URI's db, else the same number. */
    int targetDbOf(int s) {
        if (options.dbMapping().rules().containsKey(s)) {
            return options.dbMapping().targetDb(s);
        }
        return target.uri().db() >= 0 ? target.uri().db() : s;
    }

    private List<Integer> sourcesOf(int t, List<Integer> dbs) {
        return dbs.stream().filter(s -> targetDbOf(s) == t).toList();
    }

    private void runFull(List<Integer> dbs) {
        for (int s : dbs) {
            int t = targetDbOf(s);
            progress.detail("db " + s);
            try (KeyedConnection src = source.connectKeyedPipelined(s);
                 KeyedConnection tgt = target.connectKeyedPipelined(t)) {
                Keyspace.scan(source, s, src, options.selection(), options.batch(), keys -> checkKeys(s, t, src, tgt, keys));
            }
        }
        for (int t : new TreeSet<>(dbs.stream().map(this::targetDbOf).toList())) {
            List<Integer> sources = sourcesOf(t, dbs);
            Map<Integer, KeyedConnection> srcs = new TreeMap<>();
            try (KeyedConnection tgt = target.connectKeyedPipelined(t)) {
                for (int s : sources) {
                    srcs.put(s, source.connectKeyedPipelined(s));
                }
                boolean unprefixed = sources.stream().allMatch(s -> options.dbMapping().prefix(s).isEmpty());
                KeySelection scanSelection = unprefixed ? options.selection() : KeySelection.all();
                Keyspace.scan(target, t, tgt, scanSelection, options.batch(), keys -> checkExtras(t, tgt, srcs, keys));
            } finally {
                srcs.values().forEach(KeyedConnection::close);
            }
        }
    }

    private void runSample(List<Integer> dbs) {
        // reservoir samples: every selected key has the same chance, memory holds only the sample
        List<Map.Entry<Integer, byte[]>> sourceSample = new ArrayList<>();
        long[] seen = {0};
        for (int s : dbs) {
            try (KeyedConnection src = source.connectKeyedPipelined(s)) {
                Keyspace.scan(source, s, src, options.selection(), options.batch(),
                        keys -> keys.forEach(k -> offer(sourceSample, Map.entry(s, k), ++seen[0])));
            }
        }
        for (int s : dbs) {
            List<byte[]> keys = sourceSample.stream().filter(e -> e.getKey() == s).map(Map.Entry::getValue).toList();
            int t = targetDbOf(s);
            try (KeyedConnection src = source.connectKeyedPipelined(s);
                 KeyedConnection tgt = target.connectKeyedPipelined(t)) {
                for (int i = 0; i < keys.size(); i += options.batch()) {
                    checkKeys(s, t, src, tgt, keys.subList(i, Math.min(keys.size(), i + options.batch())));
                }
            }
        }
        for (int t : new TreeSet<>(dbs.stream().map(this::targetDbOf).toList())) {
            List<Integer> sources = sourcesOf(t, dbs);
            List<byte[]> sample = new ArrayList<>();
            long[] n = {0};
            Map<Integer, KeyedConnection> srcs = new TreeMap<>();
            try (KeyedConnection tgt = target.connectKeyedPipelined(t)) {
                Keyspace.scan(target, t, tgt, KeySelection.all(), options.batch(), keys -> {
                    for (byte[] k : keys) {
                        if (!candidates(k, sources).isEmpty()) {
                            offer(sample, k, ++n[0]);
                        }
                    }
                });
                for (int s : sources) {
                    srcs.put(s, source.connectKeyedPipelined(s));
                }
                for (int i = 0; i < sample.size(); i += options.batch()) {
                    checkExtras(t, tgt, srcs, sample.subList(i, Math.min(sample.size(), i + options.batch())));
                }
            } finally {
                srcs.values().forEach(KeyedConnection::close);
            }
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

    /** Compares a batch of selected source keys of db {@code s} with their counterparts in target db {@code t}. */
    private void checkKeys(int s, int t, KeyedConnection src,
                           KeyedConnection tgt, List<byte[]> keys) {
        int n = keys.size();
        RedisClusterAsyncCommands<byte[], byte[]> a = src.async();
        RedisClusterAsyncCommands<byte[], byte[]> b = tgt.async();
        byte[][] tkeys = new byte[n][];
        List<RedisFuture<String>> sType = new ArrayList<>(n);
        List<RedisFuture<String>> tType = new ArrayList<>(n);
        List<RedisFuture<Long>> sTtl = new ArrayList<>(n);
        List<RedisFuture<Long>> tTtl = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tkeys[i] = options.dbMapping().targetKey(s, keys.get(i));
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
            String st = Keyspace.await(source, sType.get(i));
            long sp = Keyspace.await(source, sTtl.get(i));
            String tt = Keyspace.await(target, tType.get(i));
            long tp = Keyspace.await(target, tTtl.get(i));
            sourceTtl[i] = sp;
            if ("none".equals(st) || sp == -2) {
                vanished++;
                continue;
            }
            checked++;
            if ("none".equals(tt) || tp == -2) {
                missing.add(i);
                continue;
            }
            if (!st.equals(tt)) {
                diff(DiffKind.TYPE, s, keys.get(i), t, tkeys[i], st + " on source, " + tt + " on target");
                continue;
            }
            if ((sp == -1) != (tp == -1) || (sp >= 0 && Math.abs(sp - tp) > tolerance)) {
                diff(DiffKind.TTL, s, keys.get(i), t, tkeys[i], ttlDetail(sp, tp, tolerance));
            }
            types[i] = st;
            compare.add(i);
        }
        progress.add(n);
        recheckMissing(s, t, src, tgt, keys, tkeys, sourceTtl, missing);
        compareValues(s, t, src, tgt, keys, tkeys, types, compare);
    }

    /** A key missing on the target is a difference only if it still exists on the source (it may have expired). */
    private void recheckMissing(int s, int t, KeyedConnection src,
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
            long se = Keyspace.await(source, sExists.get(j));
            long te = Keyspace.await(target, tExists.get(j));
            boolean aboutToExpire = sourceTtl[i] >= 0 && sourceTtl[i] <= options.ttlTolerance().toMillis();
            if (se == 0 || aboutToExpire) {
                checked--;
                vanished++;
            } else if (te == 0) {
                diff(DiffKind.MISSING, s, keys.get(i), t, tkeys[i], "not on target");
            }
        }
    }

    private void compareValues(int s, int t, KeyedConnection src,
                               KeyedConnection tgt, List<byte[]> keys, byte[][] tkeys,
                               String[] types, List<Integer> compare) {
        if (compare.isEmpty()) {
            return;
        }
        Map<Integer, RedisFuture<Long>> sLen = new TreeMap<>();
        Map<Integer, RedisFuture<Long>> tLen = new TreeMap<>();
        for (int i : compare) {
            RedisFuture<Long> x = length(src.async(), types[i], keys.get(i));
            if (x != null) {
                sLen.put(i, x);
                tLen.put(i, length(tgt.async(), types[i], tkeys[i]));
            }
        }
        src.flushCommands();
        tgt.flushCommands();
        List<Integer> dump = new ArrayList<>();
        List<Integer> digest = new ArrayList<>();
        Map<Integer, Long> lengths = new TreeMap<>();
        for (int i : compare) {
            if (!sLen.containsKey(i)) {
                if (sameRdb) {
                    dump.add(i);
                } else {
                    uncompared++;
                }
                continue;
            }
            Long x = Keyspace.awaitOrNull(source, sLen.get(i));
            Long y = Keyspace.awaitOrNull(target, tLen.get(i));
            if (x != null && y != null && !x.equals(y)) {
                diff(DiffKind.VALUE, s, keys.get(i), t, tkeys[i],
                        types[i] + " of " + x + " " + unit(types[i]) + " on source, " + y + " on target");
                continue;
            }
            long len = x == null ? -1 : x;
            lengths.put(i, len);
            boolean big = "string".equals(types[i]) ? len > BIG_STRING_BYTES : len > BIG_ELEMENTS;
            if (sameRdb && !big) {
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
                byte[] x = Keyspace.awaitOrNull(source, sDump.get(j));
                byte[] y = Keyspace.awaitOrNull(target, tDump.get(j));
                if (x != null && Arrays.equals(x, y)) {
                    continue;
                }
                if (ValueDigest.supports(types[i])) {
                    digest.add(i); // equal values may still be encoded differently (listpack vs hashtable)
                } else {
                    diff(DiffKind.VALUE, s, keys.get(i), t, tkeys[i], types[i] + ": DUMP payloads differ");
                }
            }
        }
        for (int from = 0; from < digest.size(); from += DIGEST_GROUP) {
            List<Integer> group = digest.subList(from, Math.min(digest.size(), from + DIGEST_GROUP));
            List<ValueDigest> sj = new ArrayList<>();
            List<ValueDigest> tj = new ArrayList<>();
            for (int i : group) {
                long len = lengths.getOrDefault(i, -1L);
                sj.add(new ValueDigest(keys.get(i), types[i], len));
                tj.add(new ValueDigest(tkeys[i], types[i], len));
            }
            ValueDigest.computeAll(source, src, sj);
            ValueDigest.computeAll(target, tgt, tj);
            for (int j = 0; j < group.size(); j++) {
                if (!Arrays.equals(sj.get(j).result(), tj.get(j).result())) {
                    int i = group.get(j);
                    diff(DiffKind.VALUE, s, keys.get(i), t, tkeys[i], types[i] + ": values differ");
                }
            }
        }
    }

    /** Checks a batch of target keys of db {@code t}: selected ones that exist in none of their source dbs are extra. */
    private void checkExtras(int t, KeyedConnection tgt,
                             Map<Integer, KeyedConnection> srcs, List<byte[]> keys) {
        List<byte[]> checkedKeys = new ArrayList<>();
        List<List<Map.Entry<Integer, byte[]>>> cands = new ArrayList<>();
        List<List<RedisFuture<Long>>> exists = new ArrayList<>();
        for (byte[] k : keys) {
            List<Map.Entry<Integer, byte[]>> c = candidates(k, List.copyOf(srcs.keySet()));
            if (c.isEmpty()) {
                continue;
            }
            List<RedisFuture<Long>> f = new ArrayList<>();
            for (Map.Entry<Integer, byte[]> e : c) {
                f.add(srcs.get(e.getKey()).async().exists(e.getValue()));
            }
            checkedKeys.add(k);
            cands.add(c);
            exists.add(f);
        }
        srcs.values().forEach(KeyedConnection::flushCommands);
        targetChecked += checkedKeys.size();
        List<Integer> extra = new ArrayList<>();
        for (int i = 0; i < checkedKeys.size(); i++) {
            boolean found = false;
            for (RedisFuture<Long> f : exists.get(i)) {
                found |= Keyspace.await(source, f) > 0;
            }
            if (!found) {
                extra.add(i);
            }
        }
        if (extra.isEmpty()) {
            return;
        }
        // it may have expired on the target meanwhile, or be about to (its source twin just did)
        List<RedisFuture<Long>> still = new ArrayList<>();
        for (int i : extra) {
            still.add(tgt.async().pttl(checkedKeys.get(i)));
        }
        tgt.flushCommands();
        for (int j = 0; j < extra.size(); j++) {
            long pttl = Keyspace.await(target, still.get(j));
            if (pttl == -1 || pttl > options.ttlTolerance().toMillis()) {
                int i = extra.get(j);
                Map.Entry<Integer, byte[]> c = cands.get(i).get(0);
                diff(DiffKind.EXTRA, c.getKey(), c.getValue(), t, checkedKeys.get(i), "not on source");
            }
        }
    }

    /** The source (db, key) pairs a target key may come from within the selection. */
    private List<Map.Entry<Integer, byte[]>> candidates(byte[] targetKey, List<Integer> sources) {
        List<Map.Entry<Integer, byte[]>> out = new ArrayList<>(1);
        for (int s : sources) {
            byte[] sk = options.dbMapping().sourceKey(s, targetKey);
            if (sk != null && options.selection().matches(sk)) {
                out.add(Map.entry(s, sk));
            }
        }
        return out;
    }

    private static RedisFuture<Long> length(RedisClusterAsyncCommands<byte[], byte[]> a, String type, byte[] key) {
        return switch (type) {
            case "string" -> a.strlen(key);
            case "hash" -> a.hlen(key);
            case "list" -> a.llen(key);
            case "set" -> a.scard(key);
            case "zset" -> a.zcard(key);
            case "stream" -> a.xlen(key);
            default -> null;
        };
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

    private void diff(DiffKind kind, int s, byte[] key, int t, byte[] targetKey, String detail) {
        counts.merge(kind, 1L, Long::sum);
        if (first.size() < options.maxDiffs()) {
            first.add(new Difference(kind, s, KeyNames.display(key), t, KeyNames.display(targetKey), detail));
        }
    }
}
