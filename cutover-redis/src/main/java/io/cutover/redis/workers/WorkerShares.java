package io.cutover.redis.workers;

import io.cutover.core.error.CutoverException;
import io.cutover.core.workers.Worker;
import io.cutover.redis.connect.ClusterTopology;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.select.SlotRanges;

import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Divides a source among workers, the same way in every worker, from the slot map alone (each worker computes its
 * own share; nothing is shared between them):
 *
 * <ul>
 *   <li>The servers are taken in the order of the first slot they serve — not by address, so a failover (a replica
 *       promoted, same slots, new address) between two workers' starts changes nothing.</li>
 *   <li>With as many workers as primaries or fewer, each worker takes whole primaries: primary {@code j} of
 *       {@code P} goes to worker {@code floor(j * N / P)}, so each worker reads only its own primaries.</li>
 *   <li>With more workers than primaries, primary {@code j} is split among the workers {@code i} with
 *       {@code floor(i * P / N) == j} (one or two more than {@code N / P}), each taking an equal run of its slots;
 *       those workers each SCAN the whole primary and keep the keys of their slots.</li>
 *   <li>A standalone server counts as one primary serving every slot: one worker reads it whole, more split it by
 *       key slot.</li>
 * </ul>
 * Slots, not key counts, are divided: counts change while workers start, and a share must not.
 */
public final class WorkerShares {
    private WorkerShares() {
    }

    /** A server and the slots it serves. */
    public record Server(String address, SlotRanges slots) {
    }

    /** The share of {@code worker} in {@code source} (its topology read from the cluster, or one server). */
    public static WorkerShare of(RedisEndpoint source, Worker worker) {
        return plan(servers(source), source.cluster(), worker.total()).get(worker.index()).with(worker);
    }

    /** The servers of a source, each with its slots: the primaries of a cluster, or the one server with every slot. */
    public static List<Server> servers(RedisEndpoint source) {
        if (!source.cluster()) {
            return List.of(new Server(source.uri().address(), SlotRanges.all()));
        }
        return servers(source.topology());
    }

    private static List<Server> servers(ClusterTopology t) {
        List<Server> out = new ArrayList<>();
        for (int i = 0; i < t.primaries().size(); i++) {
            out.add(new Server(t.primaries().get(i).toString(), SlotRanges.ownedBy(t.slotOwner(), i)));
        }
        return out;
    }

    /** Every worker's share, worker 0 first (a pure function of the servers and {@code total}). */
    public static List<WorkerShare> plan(List<Server> servers, boolean cluster, int total) {
        if (total < 1 || total > SlotRanges.SLOTS) {
            throw CutoverException.usage("--workers-total: expected 1.." + SlotRanges.SLOTS + " (one slot each at most), got " + total);
        }
        List<Server> ordered = servers.stream().filter(s -> !s.slots().isEmpty())
                .sorted(Comparator.comparingInt(s -> s.slots().ranges().get(0).first())).toList();
        int p = ordered.size();
        List<List<WorkerShare.Part>> parts = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            parts.add(new ArrayList<>());
        }
        if (total <= p) {
            for (int j = 0; j < p; j++) {
                Server s = ordered.get(j);
                parts.get((int) ((long) j * total / p)).add(new WorkerShare.Part(s.address(), s.slots(), true));
            }
        } else {
            for (int j = 0; j < p; j++) {
                int first = ceilDiv((long) j * total, p);
                int end = ceilDiv((long) (j + 1) * total, p);
                int k = end - first;
                List<Integer> slots = ordered.get(j).slots().slots();
                for (int m = 0; m < k; m++) {
                    List<Integer> piece = slots.subList((int) ((long) m * slots.size() / k),
                            (int) ((long) (m + 1) * slots.size() / k));
                    if (!piece.isEmpty()) {
                        parts.get(first + m).add(new WorkerShare.Part(ordered.get(j).address(), SlotRanges.of(piece), k == 1));
                    }
                }
            }
        }
        List<SlotRanges> slots = new ArrayList<>();
        CRC32 crc = new CRC32();
        crc.update((total + "\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < total; i++) {
            List<Integer> all = new ArrayList<>();
            parts.get(i).forEach(part -> all.addAll(part.slots().slots()));
            all.sort(null);
            slots.add(SlotRanges.of(all));
            crc.update((slots.get(i) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        String split = String.format("%08x", crc.getValue());
        List<WorkerShare> out = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            out.add(new WorkerShare(new Worker(i, total, null), split, cluster, slots.get(i), parts.get(i)));
        }
        return out;
    }

    /**
     * Reads the slot map again and fails (exit 3) when it now divides the slots otherwise than it did for
     * {@code share}: the cluster was resharded while the worker ran, so keys may have moved past its SCAN or into
     * another worker's share. A failover (same slots, new address) passes.
     */
    public static void checkUnchanged(RedisEndpoint source, WorkerShare share) {
        if (!share.cluster()) {
            return;
        }
        ClusterTopology now;
        try (StatefulRedisConnection<byte[], byte[]> c = source.connect(0)) {
            now = ClusterTopology.parse(c.sync().clusterNodes(),
                    new ClusterTopology.Address(source.uri().host(), source.uri().port()));
        } catch (CutoverException e) {
            throw e;
        } catch (RuntimeException e) {
            throw source.failure(e);
        }
        WorkerShare again = plan(servers(now), true, share.worker().total()).get(share.worker().index());
        if (!again.split().equals(share.split())) {
            throw CutoverException.runtime(share.worker() + ": the source's slot map changed while it ran (resharding?): "
                    + "its share was " + share.covers() + ", it is now " + again.covers()
                    + "; run every worker again once the cluster is stable");
        }
    }

    private static int ceilDiv(long a, long b) {
        return (int) ((a + b - 1) / b);
    }
}
