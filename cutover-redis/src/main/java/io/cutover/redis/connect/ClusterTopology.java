package io.cutover.redis.connect;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The primaries of a Redis Cluster and which of them serves each of the 16384 slots, read once from
 * {@code CLUSTER NODES}. A copy assumes no resharding while it runs: a key that moves gets a MOVED error and is
 * reported as failed, never lost silently.
 *
 * @param primaries  the primaries serving at least one slot, in address order
 * @param slotOwner  for each slot, the index in {@code primaries} of its owner, or -1 when no one serves it
 */
public record ClusterTopology(List<Address> primaries, int[] slotOwner) {

    /** Where a primary listens. */
    public record Address(String host, int port) {
        @Override
        public String toString() {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /**
     * Parses {@code CLUSTER NODES} output; {@code self} stands for the node that answered when it does not know its
     * own address yet (a node announces an empty address until it has met another).
     */
    public static ClusterTopology parse(String clusterNodes, Address self) {
        Partitions partitions = ClusterPartitionParser.parse(clusterNodes);
        List<Serving> serving = new ArrayList<>();
        for (RedisClusterNode n : partitions) {
            if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()
                    && !n.is(RedisClusterNode.NodeFlag.FAIL)) {
                String host = n.getUri() == null ? "" : n.getUri().getHost();
                boolean unknown = host == null || host.isEmpty() || n.getUri().getPort() == 0;
                serving.add(new Serving(unknown ? self : new Address(host, n.getUri().getPort()), n.getSlots()));
            }
        }
        serving.sort(Comparator.comparing(p -> p.address().toString()));
        int[] owner = new int[SlotHash.SLOT_COUNT];
        Arrays.fill(owner, -1);
        for (int i = 0; i < serving.size(); i++) {
            for (int slot : serving.get(i).slots()) {
                owner[slot] = i;
            }
        }
        return new ClusterTopology(serving.stream().map(Serving::address).toList(), owner);
    }

    /** A primary and the slots it serves, while parsing. */
    private record Serving(Address address, List<Integer> slots) {
    }

    /** The slot of a key (CRC16 of the key or of its {hash tag}, modulo 16384). */
    public static int slot(byte[] key) {
        return SlotHash.getSlot(key);
    }

    /** Index in {@link #primaries()} of the primary serving {@code key}, or -1 when its slot is not served. */
    public int ownerOf(byte[] key) {
        return slotOwner[slot(key)];
    }

    /** How many slots no primary serves (a cluster that is not fully covered refuses writes to them). */
    public int unservedSlots() {
        int n = 0;
        for (int o : slotOwner) {
            if (o < 0) {
                n++;
            }
        }
        return n;
    }
}
