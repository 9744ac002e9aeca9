package io.cutover.sql.plan;

import io.cutover.core.error.CutoverException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The dependency order of a plan's steps (parents before children); a cycle is a usage error. */
public final class StepOrder {
    private final List<Step> ordered;
    private final Map<String, Step> byName = new HashMap<>();

    private StepOrder(List<Step> ordered) {
        this.ordered = List.copyOf(ordered);
        ordered.forEach(s -> byName.put(s.name(), s));
    }

    public static StepOrder of(Plan plan) {
        Map<String, Step> byName = new HashMap<>();
        plan.steps().forEach(s -> byName.put(s.name(), s));
        List<Step> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Step s : plan.steps()) {
            visit(s, byName, done, new LinkedHashSet<>(), out);
        }
        return new StepOrder(out);
    }

    private static void visit(Step s, Map<String, Step> byName, Set<String> done, LinkedHashSet<String> path, List<Step> out) {
        if (done.contains(s.name())) {
            return;
        }
        if (!path.add(s.name())) {
            List<String> cycle = new ArrayList<>(path);
            cycle = cycle.subList(cycle.indexOf(s.name()), cycle.size());
            throw CutoverException.usage("steps form a cycle: " + String.join(" -> ", cycle) + " -> " + s.name());
        }
        for (String dep : s.dependencies()) {
            Step d = byName.get(dep);
            if (d == null) {
                throw CutoverException.usage("step '" + s.name() + "' depends on unknown step '" + dep + "'");
            }
            visit(d, byName, done, path, out);
        }
        path.remove(s.name());
        done.add(s.name());
        out.add(s);
    }

    /** Parents first. */
    public List<Step> ordered() {
        return ordered;
    }

    /** Children first (the order deletions are applied in). */
    public List<Step> reversed() {
        List<Step> r = new ArrayList<>(ordered);
        java.util.Collections.reverse(r);
        return r;
    }

    /** Steps grouped in levels: every step's dependencies are in earlier levels. */
    public List<List<Step>> levels() {
        Map<String, Integer> level = new HashMap<>();
        List<List<Step>> levels = new ArrayList<>();
        for (Step s : ordered) {
            int l = 0;
            for (String d : s.dependencies()) {
                l = Math.max(l, level.get(d) + 1);
            }
            level.put(s.name(), l);
            while (levels.size() <= l) {
                levels.add(new ArrayList<>());
            }
            levels.get(l).add(s);
        }
        return levels;
    }

    /** Steps that reference {@code parent} through a ref. */
    public List<Step> childrenOf(String parent) {
        return ordered.stream().filter(s -> s.refs().values().stream().anyMatch(r -> r.step().equals(parent))).toList();
    }

    public Step step(String name) {
        return byName.get(name);
    }
}
