package io.cutover.redis.inventory;

import io.cutover.redis.select.KeyNames;
import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.ServerInfo;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Inventories a keyspace: per database and key prefix the keys, bytes, types and TTL buckets, the biggest keys and
 * what the selected keys would need. SCAN plus one pipelined round trip of TYPE, PTTL and MEMORY USAGE (DUMP on
 * servers before 4.0) per batch; memory stays bounded (prefix aggregates and a top-N heap, never the key list).
 */
public final class KeyspaceInventory {
    /** Distinct prefixes kept per database; the rest are counted under {@link #OTHER}. */
    static final int MAX_PREFIXES = 10_000;
    static final String OTHER = "(other prefixes)";

    private final RedisEndpoint endpoint;
    private final InventoryOptions options;
    private final Progress progress;

    public KeyspaceInventory(RedisEndpoint endpoint, InventoryOptions options, Progress progress) {
        this.endpoint = endpoint;
        this.options = options;
        this.progress = progress == null ? Progress.silent() : progress;
    }

    public KeyspaceInventory(RedisEndpoint endpoint, InventoryOptions options) {
        this(endpoint, options, Progress.silent());
    }

    /** Scans every database in scope and returns the inventory. */
    public Inventory run() {
        long start = System.nanoTime();
        ServerInfo info = endpoint.refreshInfo();
        // MEMORY USAGE exists from 4.0, but a managed service may still refuse it: then estimate from lengths and
        // sampled elements (never DUMP: it would read whole values, a 300 MB string at once)
        boolean memoryUsage = info.hasMemoryUsage()
                && Keyspace.accepts(endpoint, r -> r.memoryUsage(Keyspace.probeKey()));
        List<Integer> dbs = endpoint.databasesInScope();
        progress.total(dbs.stream().mapToLong(db -> endpoint.keyCount(db)).sum());
        PriorityQueue<BigKey> biggest = new PriorityQueue<>(Comparator.comparingLong(BigKey::bytes));
        long[] selected = new long[2];
        List<DbInventory> out = new ArrayList<>();
        byte[] delimiter = options.delimiter().getBytes(StandardCharsets.UTF_8);
        for (int db : dbs) {
            progress.detail("db " + db);
            Map<String, Aggregate> prefixes = new HashMap<>();
            Aggregate total = new Aggregate();
            for (RedisEndpoint node : endpoint.nodes()) { // a cluster: each primary's keys
                try (StatefulRedisConnection<byte[], byte[]> c = Keyspace.pipelined(node, db)) {
                    RedisAsyncCommands<byte[], byte[]> a = c.async();
                    Keyspace.scan(node, c, io.cutover.redis.select.KeySelection.all(), options.batch(), keys -> {
                        List<RedisFuture<String>> types = new ArrayList<>(keys.size());
                        List<RedisFuture<Long>> ttls = new ArrayList<>(keys.size());
                        List<RedisFuture<?>> sizes = new ArrayList<>(keys.size());
                        for (byte[] k : keys) {
                            types.add(a.type(k));
                            ttls.add(a.pttl(k));
                            if (memoryUsage) {
                                sizes.add(a.memoryUsage(k));
                            }
                        }
                        c.flushCommands();
                        List<SizeEstimate.Pending> estimates = new ArrayList<>(keys.size());
                        if (!memoryUsage) { // a second round trip, once the types are known
                            for (int i = 0; i < keys.size(); i++) {
                                String type = Keyspace.awaitOrNull(node, types.get(i));
                                estimates.add(SizeEstimate.queue(a, keys.get(i), type == null ? "none" : type));
                            }
                            c.flushCommands();
                        }
                        long batchBytes = 0;
                        for (int i = 0; i < keys.size(); i++) {
                            String type = Keyspace.await(node, types.get(i));
                            Long ttl = Keyspace.await(node, ttls.get(i));
                            Object size = memoryUsage ? Keyspace.awaitOrNull(node, sizes.get(i)) : estimates.get(i);
                            if ("none".equals(type) || ttl == null || ttl == -2 || size == null) {
                                continue; // expired or deleted between SCAN and now
                            }
                            byte[] key = keys.get(i);
                            long bytes = size instanceof SizeEstimate.Pending e ? e.bytes(node, key) : (Long) size;
                            String prefix = KeyNames.prefix(key, delimiter, options.depth());
                            Aggregate agg = prefixes.get(prefix);
                            if (agg == null) {
                                // bounded memory: past MAX_PREFIXES distinct prefixes, the rest share one row
                                agg = prefixes.computeIfAbsent(prefixes.size() < MAX_PREFIXES ? prefix : OTHER, p -> new Aggregate());
                            }
                            agg.add(type, ttl, bytes);
                            total.add(type, ttl, bytes);
                            batchBytes += bytes;
                            if (!options.selection().isAll() && options.selection().matches(key)) {
                                selected[0]++;
                                selected[1] += bytes;
                            }
                            if (options.top() > 0 && (biggest.size() < options.top() || biggest.peek().bytes() < bytes)) {
                                biggest.add(new BigKey(db, KeyNames.display(key), type, bytes, ttl));
                                if (biggest.size() > options.top()) {
                                    biggest.poll();
                                }
                            }
                        }
                        progress.add(keys.size(), batchBytes);
                    });
                } catch (RuntimeException e) {
                    throw node.failure(e);
                }
            }
            if (total.keys > 0) {
                List<PrefixStats> stats = new ArrayList<>();
                prefixes.forEach((p, agg) -> stats.add(agg.stats(p)));
                stats.sort(Comparator.comparingLong(PrefixStats::bytes).reversed().thenComparing(PrefixStats::prefix));
                out.add(new DbInventory(db, total.keys, total.bytes, List.copyOf(stats)));
            }
        }
        List<BigKey> top = new ArrayList<>(biggest);
        top.sort(Comparator.comparingLong(BigKey::bytes).reversed().thenComparing(BigKey::key));
        Inventory.Selected sel = options.selection().isAll() ? null
                : new Inventory.Selected(options.selection().toString(), selected[0], selected[1]);
        return new Inventory(new Inventory.Server(info.version(), memoryUsage ? "memory_usage" : "estimate",
                endpoint.nodes().size()),
                List.copyOf(out), List.copyOf(top), sel, (System.nanoTime() - start) / 1_000_000);
    }

    /** Running totals for one prefix. */
    private static final class Aggregate {
        long keys;
        long bytes;
        final Map<String, Long> types = new TreeMap<>();
        final EnumMap<TtlBucket, Long> ttl = new EnumMap<>(TtlBucket.class);

        void add(String type, long pttl, long size) {
            keys++;
            bytes += size;
            types.merge(type, 1L, Long::sum);
            ttl.merge(TtlBucket.of(pttl), 1L, Long::sum);
        }

        PrefixStats stats(String prefix) {
            Map<String, Long> buckets = new LinkedHashMap<>();
            for (TtlBucket b : TtlBucket.values()) {
                buckets.put(b.jsonName(), ttl.getOrDefault(b, 0L));
            }
            return new PrefixStats(prefix, keys, bytes, java.util.Collections.unmodifiableMap(new TreeMap<>(types)),
                    java.util.Collections.unmodifiableMap(buckets));
        }
    }
}
