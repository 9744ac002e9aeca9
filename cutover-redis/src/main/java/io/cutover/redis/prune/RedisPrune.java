package io.cutover.redis.prune;

import io.cutover.core.error.CutoverException;
import io.cutover.core.progress.Progress;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.ServerInfo;
import io.cutover.redis.select.KeyNames;
import io.cutover.redis.inventory.Keyspace;
import io.cutover.redis.select.KeySelection;
import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deletes the keys that don't belong on a server (after a whole snapshot was restored, drop the rest: DEL moves no data). SCANs
 * each database in scope and deletes in batches with one multi-key UNLINK (DEL before Redis 4.0) per batch.
 * Nothing is deleted before {@link Confirmation#confirm} says yes; a dry run only counts.
 */
public final class RedisPrune {
    private static final int MAX_PREFIXES = 10_000;

    private final RedisEndpoint target;
    private final PruneOptions options;
    private final Confirmation confirmation;
    private final Progress progress;

    public RedisPrune(RedisEndpoint target, PruneOptions options, Confirmation confirmation, Progress progress) {
        this.target = target;
        this.options = options;
        this.confirmation = confirmation;
        this.progress = progress == null ? Progress.silent() : progress;
    }

    /** Prunes (or counts, on a dry run); throws a usage error when the confirmation says no. */
    public PruneReport run() {
        long start = System.nanoTime();
        ServerInfo info = target.refreshInfo();
        List<Integer> dbs = target.databasesInScope();
        Map<Integer, Long> keyCounts = new TreeMap<>();
        for (int db : dbs) {
            keyCounts.put(db, target.keyCount(db));
        }
        // UNLINK frees memory in the background (4.0+); a server without it (or refusing it) gets DEL
        boolean unlink = info.hasUnlink() && Keyspace.accepts(target, r -> r.unlink(Keyspace.probeKey()));
        String command = unlink ? "UNLINK" : "DEL";
        if (!options.dryRun()) {
            StringBuilder q = new StringBuilder("prune " + target.uri() + " (");
            if (dbs.isEmpty()) {
                q.append("empty");
            }
            for (int i = 0; i < dbs.size(); i++) {
                q.append(i == 0 ? "" : ", ").append("db ").append(dbs.get(i)).append(": ")
                        .append(keyCounts.get(dbs.get(i))).append(" keys");
            }
            q.append("): ").append(options.rule());
            if (!confirmation.confirm(q.toString())) {
                throw CutoverException.usage("prune: not confirmed; nothing deleted");
            }
        }
        progress.total(keyCounts.values().stream().mapToLong(Long::longValue).sum());
        byte[] delimiter = options.delimiter().getBytes(StandardCharsets.UTF_8);
        List<PruneReport.DbPrune> out = new ArrayList<>();
        for (int db : dbs) {
            progress.detail("db " + db);
            Map<String, long[]> prefixes = new TreeMap<>();
            long[] totals = new long[2];
            List<byte[]> pending = new ArrayList<>();
            for (RedisEndpoint node : target.nodes()) { // a cluster: each primary deletes its own keys
                try (StatefulRedisConnection<byte[], byte[]> c = Keyspace.pipelined(node, db)) {
                    Keyspace.scan(node, c, KeySelection.all(), options.batch(), keys -> {
                        for (byte[] k : keys) {
                            boolean delete = options.rule().deletes(k);
                            String p = KeyNames.prefix(k, delimiter, 1);
                            long[] counts = prefixes.get(p);
                            if (counts == null) {
                                counts = prefixes.computeIfAbsent(prefixes.size() < MAX_PREFIXES ? p : "(other prefixes)", x -> new long[2]);
                            }
                            counts[delete ? 0 : 1]++;
                            totals[delete ? 0 : 1]++;
                            if (delete && !options.dryRun()) {
                                pending.add(k);
                            }
                        }
                        if (pending.size() >= options.batch()) {
                            delete(node, c, unlink, pending);
                        }
                        progress.add(keys.size());
                    });
                    if (!pending.isEmpty()) {
                        delete(node, c, unlink, pending);
                    }
                } catch (RuntimeException e) {
                    throw node.failure(e);
                }
            }
            List<PruneReport.PrefixCount> counts = new ArrayList<>();
            prefixes.forEach((p, n) -> counts.add(new PruneReport.PrefixCount(p, n[0], n[1])));
            counts.sort(Comparator.comparingLong((PruneReport.PrefixCount p) -> p.deleted() + p.kept()).reversed()
                    .thenComparing(PruneReport.PrefixCount::prefix));
            out.add(new PruneReport.DbPrune(db, totals[0], totals[1], List.copyOf(counts)));
        }
        return new PruneReport(options.rule().toString(), options.dryRun(), command, List.copyOf(out),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** One multi-key UNLINK/DEL: it moves no data, so a batch of thousands is one cheap round trip. */
    private void delete(RedisEndpoint node, StatefulRedisConnection<byte[], byte[]> c, boolean unlink, List<byte[]> keys) {
        // a cluster node takes multi-key commands within one slot only: one command per slot, pipelined
        Map<Integer, List<byte[]>> groups = node.info().cluster()
                ? io.lettuce.core.cluster.SlotHash.partition(io.lettuce.core.codec.ByteArrayCodec.INSTANCE, keys)
                : Map.of(0, keys);
        List<io.lettuce.core.RedisFuture<Long>> replies = new ArrayList<>(groups.size());
        for (List<byte[]> group : groups.values()) {
            byte[][] batch = group.toArray(byte[][]::new);
            replies.add(unlink ? c.async().unlink(batch) : c.async().del(batch));
        }
        c.flushCommands();
        for (var f : replies) {
            Keyspace.await(node, f);
        }
        keys.clear();
    }
}
