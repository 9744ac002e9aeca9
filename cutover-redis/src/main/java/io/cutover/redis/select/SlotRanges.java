package io.cutover.redis.select;

import io.lettuce.core.cluster.SlotHash;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A set of Redis Cluster hash slots (0–16383) as sorted, disjoint, non-adjacent ranges. A key belongs to the slot
 * of CRC16 of its name (or of its {hash tag}) modulo 16384, whatever server holds it — so the same set divides the
 * keys of a cluster and of a standalone server alike, and never changes while a SCAN runs.
 *
 * @param ranges the ranges, ascending
 */
public record SlotRanges(List<Range> ranges) {
    public static final int SLOTS = SlotHash.SLOT_COUNT;
    private static final SlotRanges ALL = new SlotRanges(List.of(new Range(0, SLOTS - 1)));

    /** Slots {@code first} to {@code last}, both included. */
    public record Range(int first, int last) {
        public Range {
            if (first < 0 || last >= SLOTS || first > last) {
                throw new IllegalArgumentException("bad slot range " + first + "-" + last);
            }
        }

        public int size() {
            return last - first + 1;
        }

        @Override
        public String toString() {
            return first == last ? String.valueOf(first) : first + "-" + last;
        }
    }

    public SlotRanges {
        ranges = List.copyOf(ranges);
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).first() <= ranges.get(i - 1).last() + 1) {
                throw new IllegalArgumentException("slot ranges must be ascending and apart: " + ranges);
            }
        }
    }

    /** Every slot. */
    public static SlotRanges all() {
        return ALL;
    }

    /** The given slots (ascending), merged into ranges. */
    public static SlotRanges of(List<Integer> ascendingSlots) {
        List<Range> out = new ArrayList<>();
        int start = -1;
        int prev = -2;
        for (int s : ascendingSlots) {
            if (s <= prev) {
                throw new IllegalArgumentException("slots must be ascending");
            }
            if (s != prev + 1) {
                if (start >= 0) {
                    out.add(new Range(start, prev));
                }
                start = s;
            }
            prev = s;
        }
        if (start >= 0) {
            out.add(new Range(start, prev));
        }
        return new SlotRanges(out);
    }

    /** The slots whose entry in {@code slotOwner} (one per slot) is {@code owner}. */
    public static SlotRanges ownedBy(int[] slotOwner, int owner) {
        List<Integer> slots = new ArrayList<>();
        for (int s = 0; s < slotOwner.length; s++) {
            if (slotOwner[s] == owner) {
                slots.add(s);
            }
        }
        return of(slots);
    }

    /** The slot of a key. */
    public static int slotOf(byte[] key) {
        return SlotHash.getSlot(key);
    }

    public boolean isAll() {
        return ranges.size() == 1 && ranges.get(0).first() == 0 && ranges.get(0).last() == SLOTS - 1;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** How many slots. */
    public int size() {
        return ranges.stream().mapToInt(Range::size).sum();
    }

    public boolean contains(int slot) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Range r = ranges.get(mid);
            if (slot < r.first()) {
                hi = mid - 1;
            } else if (slot > r.last()) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Whether the key's slot is in the set. */
    public boolean containsKey(byte[] key) {
        return isAll() || contains(slotOf(key));
    }

    /** How many slots the two sets share. */
    public int overlap(SlotRanges other) {
        int n = 0;
        for (Range a : ranges) {
            for (Range b : other.ranges) {
                n += Math.max(0, Math.min(a.last(), b.last()) - Math.max(a.first(), b.first()) + 1);
            }
        }
        return n;
    }

    /**
     * Of {@code keys} keys spread over the slots {@code served} (a server's), about how many are in this set: all of
     * them when it holds every served slot, else the part it holds (hash tags can pile keys up, so an estimate).
     */
    public long keysAmong(long keys, SlotRanges served) {
        int selected = overlap(served);
        return selected == served.size() ? keys : Math.round((double) keys * selected / served.size());
    }

    /** Whether the two sets share a slot. */
    public boolean intersects(SlotRanges other) {
        for (Range a : ranges) {
            for (Range b : other.ranges) {
                if (a.first() <= b.last() && b.first() <= a.last()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The slots in ascending order. */
    public List<Integer> slots() {
        List<Integer> out = new ArrayList<>(size());
        for (Range r : ranges) {
            for (int s = r.first(); s <= r.last(); s++) {
                out.add(s);
            }
        }
        return out;
    }

    /** "0-5460,10923-16383". */
    @Override
    public String toString() {
        return ranges.stream().map(Range::toString).collect(Collectors.joining(","));
    }
}
