package io.cutover.sql.draft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Drafts plan steps from two catalogs: one step per target table whose name matches a source table's, keys from
 * primary keys, refs from foreign keys, {@code changed} from change timestamps; a remark wherever it cannot decide.
 */
final class Drafter {
    private static final int MAX_STEP_NAME = 40;
    private final Catalog source;
    private final Catalog target;
    private final List<Remark> remarks = new ArrayList<>();

    Drafter(Catalog source, Catalog target) {
        this.source = source;
        this.target = target;
    }

    /** The drafted steps, parents first, and the remarks on the plan as a whole. */
    record Result(List<DraftStep> steps, List<Remark> remarks, int matchedTables) {
    }

    Result draft() {
        List<Table> targets = target.tables().stream()
                .sorted(Comparator.comparing(t -> t.name().toLowerCase(Locale.ROOT))).toList();
        Map<String, List<Table>> sourcesByName = new HashMap<>();
        source.tables().forEach(t -> sourcesByName.computeIfAbsent(Names.fold(t.name()), k -> new ArrayList<>()).add(t));

        List<StepDraft> drafts = new ArrayList<>();
        Set<String> usedSources = new HashSet<>();
        Set<String> stepNames = new HashSet<>();
        for (Table t : targets) {
            List<Table> candidates = sourcesByName.getOrDefault(Names.fold(t.name()), List.of());
            Optional<Table> match = pick(candidates, t.name());
            if (match.isEmpty()) {
                remarks.add(Remark.todo(candidates.isEmpty()
                        ? "target table " + t.name() + " has no source table of that name: add a step for it (from: a table or query:) or leave it out"
                        : "target table " + t.name() + " matches several source tables ("
                                + String.join(", ", candidates.stream().map(Table::name).toList()) + "): add its step by hand"));
                continue;
            }
            usedSources.add(match.get().name());
            drafts.add(new StepDraft(stepName(t.name(), stepNames), match.get(), t, source, target));
        }
        List<String> unused = source.tables().stream().map(Table::name).filter(n -> !usedSources.contains(n)).sorted().toList();
        if (!unused.isEmpty()) {
            remarks.add(Remark.note("source tables no target table matches (not migrated): " + String.join(", ", unused)));
        }
        drafts.forEach(StepDraft::decideShape);
        drafts.forEach(b -> b.mapColumns(drafts));
        RefGraph.breakCycles(drafts);
        List<DraftStep> steps = RefGraph.parentsFirst(drafts).stream().map(StepDraft::build).toList();
        return new Result(steps, List.copyOf(remarks), drafts.size());
    }

    /** The one source table for a target name: the only candidate, or the one spelled exactly alike. */
    private static Optional<Table> pick(List<Table> candidates, String name) {
        return Names.pick(candidates, name, Table::name);
    }

    private static String stepName(String table, Set<String> taken) {
        String base = Names.snake(table);
        if (base.length() > MAX_STEP_NAME) {
            base = base.substring(0, MAX_STEP_NAME);
        }
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            String suffix = "_" + i;
            name = base.substring(0, Math.min(base.length(), MAX_STEP_NAME - suffix.length())) + suffix;
        }
        return name;
    }
}
