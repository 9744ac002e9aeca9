package io.cutover.redis.workers;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.select.KeySelection;
import io.cutover.redis.select.SlotRanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a source is divided: every slot in exactly one share, whole primaries when there are enough of them. */
class WorkerSharesTest {
    // the usual 3-primary layout, listed in an order that is not the slot order
    static final List<WorkerShares.Server> THREE = List.of(
            new WorkerShares.Server("10.0.0.2:7000", range(5461, 10922)),
            new WorkerShares.Server("10.0.0.1:7000", range(0, 5460)),
            new WorkerShares.Server("10.0.0.3:7000", range(10923, 16383)));

    static SlotRanges range(int first, int last) {
        return new SlotRanges(List.of(new SlotRanges.Range(first, last)));
    }

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 3, 4, 5, 7, 16})
    void everySlotIsInExactlyOneShare(int n) {
        List<WorkerShare> shares = WorkerShares.plan(THREE, true, n);
        assertThat(shares).hasSize(n);
        BitSet seen = new BitSet();
        for (int i = 0; i < n; i++) {
            WorkerShare s = shares.get(i);
            assertThat(s.worker().index()).isEqualTo(i);
            for (int slot : s.slots().slots()) {
                assertThat(seen.get(slot)).as("slot %d in two shares", slot).isFalse();
                seen.set(slot);
            }
            List<Integer> fromParts = new ArrayList<>();
            s.parts().forEach(p -> fromParts.addAll(p.slots().slots()));
            assertThat(fromParts).isEqualTo(s.slots().slots());
        }
        assertThat(seen.cardinality()).isEqualTo(SlotRanges.SLOTS);
    }

    @Test
    void asManyWorkersAsPrimariesOrFewerTakeWholePrimariesInSlotOrder() {
        List<WorkerShare> two = WorkerShares.plan(THREE, true, 2);
        assertThat(two.get(0).covers()).isEqualTo("primaries 10.0.0.1:7000 (slots 0-5460), 10.0.0.2:7000 (slots 5461-10922)");
        assertThat(two.get(1).covers()).isEqualTo("primary 10.0.0.3:7000 (slots 10923-16383)");
        List<WorkerShare> three = WorkerShares.plan(THREE, true, 3);
        assertThat(three).allSatisfy(s -> assertThat(s.wholeServers()).isTrue());
        assertThat(three.get(1).toString()).isEqualTo("worker 1 of 3, split " + three.get(0).split()
                + ": primary 10.0.0.2:7000 (slots 5461-10922)");
    }

    @Test
    void moreWorkersThanPrimariesSplitEachPrimarysSlots() {
        List<WorkerShare> five = WorkerShares.plan(THREE, true, 5);
        assertThat(five.stream().map(WorkerShare::covers)).containsExactly(
                "slots 0-2729 of primary 10.0.0.1:7000",
                "slots 2730-5460 of primary 10.0.0.1:7000",
                "slots 5461-8191 of primary 10.0.0.2:7000",
                "slots 8192-10922 of primary 10.0.0.2:7000",
                "primary 10.0.0.3:7000 (slots 10923-16383)");
        assertThat(five.get(0).parts()).singleElement().satisfies(p -> assertThat(p.whole()).isFalse());
    }

    @Test
    void aFailoverThatChangesAnAddressButNoSlotChangesNoShare() {
        List<WorkerShares.Server> afterFailover = List.of(
                new WorkerShares.Server("10.0.0.9:7000", range(0, 5460)), // the replica of 10.0.0.1, promoted
                THREE.get(0), THREE.get(2));
        for (int n : new int[] {2, 3, 5}) {
            assertThat(WorkerShares.plan(afterFailover, true, n).stream().map(WorkerShare::slots).toList())
                    .isEqualTo(WorkerShares.plan(THREE, true, n).stream().map(WorkerShare::slots).toList());
        }
    }

    @Test
    void theWorkersOfOneSplitShowTheSameSplitAndOtherDivisionsAnother() {
        List<WorkerShare> five = WorkerShares.plan(THREE, true, 5);
        assertThat(five.stream().map(WorkerShare::split).distinct()).singleElement().asString().matches("[0-9a-f]{8}");
        assertThat(WorkerShares.plan(THREE, true, 4).get(0).split()).isNotEqualTo(five.get(0).split());
        List<WorkerShares.Server> resharded = List.of(
                new WorkerShares.Server("10.0.0.1:7000", range(0, 5000)),
                new WorkerShares.Server("10.0.0.2:7000", range(5001, 10922)), THREE.get(2));
        assertThat(WorkerShares.plan(resharded, true, 5).get(0).split()).isNotEqualTo(five.get(0).split());
    }

    @Test
    void primariesWithScatteredSlotsAreSplitBySlotCount() {
        List<WorkerShares.Server> odd = List.of(
                new WorkerShares.Server("a:1", SlotRanges.of(IntStream.range(0, SlotRanges.SLOTS).filter(s -> s % 2 == 0).boxed().toList())),
                new WorkerShares.Server("b:1", SlotRanges.of(IntStream.range(0, SlotRanges.SLOTS).filter(s -> s % 2 == 1).boxed().toList())));
        List<WorkerShare> four = WorkerShares.plan(odd, true, 4);
        assertThat(four).allSatisfy(s -> assertThat(s.slots().size()).isEqualTo(SlotRanges.SLOTS / 4));
        assertThat(four.get(0).parts().get(0).server()).isEqualTo("a:1");
        assertThat(four.get(3).parts().get(0).server()).isEqualTo("b:1");
    }

    @Test
    void aStandaloneServerIsOnePrimaryWithEverySlot() {
        List<WorkerShares.Server> one = List.of(new WorkerShares.Server("10.0.0.5:6379", SlotRanges.all()));
        assertThat(WorkerShares.plan(one, false, 1).get(0).covers()).isEqualTo("server 10.0.0.5:6379 (slots 0-16383)");
        assertThat(WorkerShares.plan(one, false, 2).stream().map(WorkerShare::covers))
                .containsExactly("slots 0-8191 of server 10.0.0.5:6379", "slots 8192-16383 of server 10.0.0.5:6379");
    }

    @Test
    void aShareNarrowsTheSelectionByKeySlotHashTagsIncluded() {
        SlotRanges first = WorkerShares.plan(THREE, true, 2).get(0).slots();
        KeySelection sel = KeySelection.of(List.of("user*", "{user1}*"), null).withinSlots(first);
        byte[] tagged = "{user1}:cart".getBytes();
        assertThat(SlotRanges.slotOf(tagged)).isEqualTo(SlotRanges.slotOf("user1".getBytes()));
        assertThat(sel.matches(tagged)).isEqualTo(first.contains(SlotRanges.slotOf("user1".getBytes())));
        assertThat(sel.toString()).isEqualTo("keep user* {user1}*, slots 0-10922");
        assertThat(KeySelection.of(List.of("user*"), null).toString()).isEqualTo("keep user*");
    }

    @Test
    void tooManyWorkersIsAUsageError() {
        assertThatThrownBy(() -> WorkerShares.plan(THREE, true, SlotRanges.SLOTS + 1))
                .isInstanceOf(CutoverException.class).hasMessage("--workers-total: expected 1..16384 (one slot each at most), got 16385");
    }
}
