package io.cutover.sql.plan;

import io.cutover.core.error.CutoverException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency order of a plan's steps (parents before children) and the refs that are deferred: a
 * self-reference, a ref the plan marks {@code deferred: true}, and a ref that would close a cycle (found walking the
 * steps in plan order, so the ref of the later step in the file is the one deferred). A deferred ref does not order
 * the steps; its column is filled once the run's rows are in. A cycle through {@code after} alone is a usage error.
 */
public final class StepOrder {
    private final List<Step> ordered;
    private final Map<String, Step> byName = new HashMap<>();
    private final Map<String, Map<String, String>> deferred;

    private StepOrder(List<Step> ordered, Map<String, Map<String, String>> deferred) {
        this.ordered = List.copyOf(ordered);
        this.deferred = deferred;
        ordered.forEach(s -> byName.put(s.name(), s));
    }

    public static StepOrder of(Plan plan) {
        Map<String, Step> byName = new HashMap<>();
        plan.steps().forEach(s -> byName.put(s.name(), s));
        Map<String, Map<String, String>> deferred = new HashMap<>();
        for (Step s : plan.steps()) {
            for (Map.Entry<String, Ref> r : s.refs().entrySet()) {
                if (r.getValue().step().equals(s.name())) {
                    deferred.computeIfAbsent(s.name(), k -> new java.util.LinkedHashMap<>()).put(r.getKey(), "a self-reference");
                } else if (r.getValue().deferredByPlan()) {
                    deferred.computeIfAbsent(s.name(), k -> new java.util.LinkedHashMap<>()).put(r.getKey(), "deferred: true");
                }
            }
        }
        List<Step> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (Step s : plan.steps()) {
            visit(s, byName, done, new LinkedHashSet<>(), out, deferred);
        }
        return new StepOrder(out, deferred);
    }

    private static void visit(Step s, Map<String, Step> byName, Set<String> done, LinkedHashSet<String> path, List<Step> out,
                              Map<String, Map<String, String>> deferred) {
        if (done.contains(s.name())) {
            return;
        }
        path.add(s.name());
        for (String dep : dependencies(s, deferred)) {
            Step d = byName.get(dep);
            if (d == null) {
                throw CutoverException.usage("step '" + s.name() + "' depends on unknown step '" + dep + "'");
            }
            if (path.contains(dep)) {
                List<String> cycle = new ArrayList<>(path);
                cycle = new ArrayList<>(cycle.subList(cycle.indexOf(dep), cycle.size()));
                cycle.add(dep);
                List<String> closing = s.refs().entrySet().stream().filter(r -> r.getValue().step().equals(dep))
                        .map(Map.Entry::getKey).toList();
                if (closing.isEmpty()) {
                    throw CutoverException.usage("steps form a cycle: " + String.join(" -> ", cycle)
                            + " (through 'after'; a cycle of refs is broken by deferring one of them)");
                }
                for (String ref : closing) {
                    deferred.computeIfAbsent(s.name(), k -> new java.util.LinkedHashMap<>())
                            .put(ref, "closes the cycle " + String.join(" -> ", cycle));
                }
                continue;
            }
            visit(d, byName, done, path, out, deferred);
        }
        path.remove(s.name());
        done.add(s.name());
        out.add(s);
    }

    /** The steps {@code s} waits for: its dependencies except through deferred refs. */
    private static List<String> dependencies(Step s, Map<String, Map<String, String>> deferred) {
        Map<String, String> mine = deferred.getOrDefault(s.name(), Map.of());
        LinkedHashSet<String> deps = new LinkedHashSet<>(s.after());
        s.refs().forEach((name, r) -> {
            if (!mine.containsKey(name)) {
                deps.add(r.step());
            }
        });
        deps.remove(s.name());
        return List.copyOf(deps);
    }

    /** The steps {@code s} must wait for in a run (deferred refs do not count). */
    public List<String> dependencies(Step s) {
        return dependencies(s, deferred);
    }

    /** The deferred refs of {@code step}: target column → why it is deferred. */
    public Map<String, String> deferred(String step) {
        return deferred.getOrDefault(step, Map.of());
    }

    /** Whether any step has a deferred ref. */
    public boolean anyDeferred() {
        return !deferred.isEmpty();
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
            for (String d : dependencies(s)) {
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
