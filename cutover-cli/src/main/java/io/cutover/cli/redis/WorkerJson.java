package io.cutover.cli.redis;

import io.cutover.redis.select.SlotRanges;
import io.cutover.redis.workers.WorkerShare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code worker} object of a split copy's or verify's JSON: which worker, and the slots and servers it covered. */
final class WorkerJson {
    private WorkerJson() {
    }

    static Map<String, Object> of(WorkerShare share) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", share.worker().index());
        m.put("total", share.worker().total());
        m.put("from", share.worker().variable()); // the environment variable of --worker auto, else null
        m.put("split", share.split()); // the same in every worker of one split
        m.put("slots", slots(share.slots()));
        m.put("covers", share.parts().stream().map(p -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put(share.cluster() ? "primary" : "server", p.server());
            j.put("whole", p.whole());
            j.put("slots", slots(p.slots()));
            return j;
        }).toList());
        return m;
    }

    /** [[first, last], …]. */
    private static List<List<Integer>> slots(SlotRanges r) {
        return r.ranges().stream().map(x -> List.of(x.first(), x.last())).toList();
    }
}
