package io.cutover.sql.draft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The steps of a draft as a graph of refs (child to parent): its cycles broken, its order parents first. */
final class RefGraph {
    private RefGraph() {
    }

    /** Comments out, for each reference cycle between steps, the ref that closes it (a nullable column if any). */
    static void breakCycles(List<StepDraft> drafts) {
        Map<String, StepDraft> byName = new HashMap<>();
        drafts.forEach(b -> byName.put(b.name, b));
        while (true) {
            List<StepDraft> cycle = findCycle(drafts, byName);
            if (cycle == null) {
                return;
            }
            String path = String.join(" -> ", cycle.stream().map(b -> b.name).toList()) + " -> " + cycle.get(0).name;
            StepDraft.Ref closing = null;
            for (int i = 0; i < cycle.size(); i++) {
                StepDraft child = cycle.get(i);
                String parent = cycle.get((i + 1) % cycle.size()).name;
                for (StepDraft.Ref r : child.refs) {
                    if (r.active && r.step.equals(parent) && (closing == null || (!closing.nullable && r.nullable))) {
                        closing = r;
                    }
                }
            }
            closing.active = false;
            closing.remark = Remark.todo("closes the reference cycle " + path + ", which a plan cannot hold: "
                    + (closing.nullable ? "fill this column in a second pass once both steps ran"
                            : "the column is NOT NULL, so one side of the cycle needs a nullable column or a second step"));
        }
    }

    /** A cycle of steps through active refs (self-references aside), each step followed by its parent; or null. */
    private static List<StepDraft> findCycle(List<StepDraft> drafts, Map<String, StepDraft> byName) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (StepDraft b : drafts) {
            List<StepDraft> found = visit(b, byName, state, new ArrayList<>());
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static List<StepDraft> visit(StepDraft b, Map<String, StepDraft> byName, Map<String, Integer> state, List<StepDraft> path) {
        Integer s = state.get(b.name);
        if (s != null && s == 2) {
            return null;
        }
        if (s != null) {
            return new ArrayList<>(path.subList(path.indexOf(b), path.size()));
        }
        state.put(b.name, 1);
        path.add(b);
        for (String p : b.parents()) {
            List<StepDraft> found = visit(byName.get(p), byName, state, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(b.name, 2);
        return null;
    }

    /** Parents before children; otherwise in target table name order. */
    static List<StepDraft> parentsFirst(List<StepDraft> drafts) {
        Map<String, StepDraft> byName = new LinkedHashMap<>();
        drafts.forEach(b -> byName.put(b.name, b));
        List<StepDraft> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        while (out.size() < drafts.size()) {
            for (StepDraft b : drafts) {
                if (!done.contains(b.name) && done.containsAll(b.parents())) {
                    out.add(b);
                    done.add(b.name);
                    break;
                }
            }
        }
        return out;
    }
}
