package io.cutover.sql.draft;

import io.cutover.sql.draft.DraftStep.Mapping;
import io.cutover.sql.draft.DraftStep.RefMapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One step of a draft while it is being made: its keys, change columns, columns and refs, and what it could not decide. */
final class StepDraft {
    final String name;
    final Table src;
    final Table tgt;
    boolean active = true;
    boolean targetKeyGenerated;
    final List<String> changed = new ArrayList<>();
    final List<Mapping> columns = new ArrayList<>();
    final List<Ref> refs = new ArrayList<>();
    final List<Mapping> unmapped = new ArrayList<>();
    final List<Remark> stepRemarks = new ArrayList<>();

    private final Catalog source;
    private final Catalog target;

    StepDraft(String name, Table src, Table tgt, Catalog source, Catalog target) {
        this.name = name;
        this.src = src;
        this.tgt = tgt;
        this.source = source;
        this.target = target;
    }

    List<String> parents() {
        return refs.stream().filter(r -> r.active).map(r -> r.step).filter(s -> !s.equals(name)).distinct().toList();
    }

    /** Keys and change columns; a step without them is written commented out. */
    void decideShape() {
        if (src.primaryKey().isEmpty()) {
            inactive("source table " + src.name() + " has no primary key: give 'key' a column whose values are unique");
        } else if (src.primaryKey().size() > 1) {
            stepRemarks.add(Remark.todo("composite key " + src.primaryKey() + ": check that this version of cutover takes 'key: [a, b]'"));
        }
        if (tgt.primaryKey().isEmpty()) {
            inactive("target table " + tgt.name() + " has no primary key: give 'target_key' a unique column");
        } else if (tgt.primaryKey().size() == 1) {
            targetKeyGenerated = tgt.column(tgt.primaryKey().get(0)).map(Column::generated).orElse(false);
        }
        List<Column> times = src.columns().stream().filter(Column::isTime).toList();
        List<Column> named = times.stream().filter(c -> Names.isChangeTime(c.name())).toList();
        if (!named.isEmpty()) {
            named.stream().filter(c -> Names.isCreation(c.name())).forEach(c -> changed.add(srcSql(c.name())));
            named.stream().filter(c -> !Names.isCreation(c.name())).forEach(c -> changed.add(srcSql(c.name())));
            if (named.stream().allMatch(c -> Names.isCreation(c.name()))) {
                stepRemarks.add(Remark.note("only a creation time: a row updated later is not seen again (add an updated_at to "
                        + src.name() + " if its rows change)"));
            }
        } else if (!times.isEmpty()) {
            times.forEach(c -> changed.add(srcSql(c.name())));
            stepRemarks.add(Remark.todo("no change timestamp (created_at, updated_at, last_update, modified…) in "
                    + src.name() + ": " + String.join(", ", times.stream().map(Column::name).toList())
                    + " used instead, so a row changed later is not seen again; add one to the source"));
        } else {
            inactive("no time column in source table " + src.name()
                    + " to place its rows in windows: add a change timestamp (e.g. updated_at) to it, then uncomment");
        }
    }

    private void inactive(String why) {
        active = false;
        stepRemarks.add(Remark.todo(why));
    }

    /** Target columns from source columns of the same name, foreign keys as refs. */
    void mapColumns(List<StepDraft> all) {
        Map<String, List<Column>> byFold = new HashMap<>();
        src.columns().forEach(c -> byFold.computeIfAbsent(Names.fold(c.name()), k -> new ArrayList<>()).add(c));
        Set<String> usedSource = new LinkedHashSet<>();
        List<String> leftOut = new ArrayList<>();
        for (Column tc : tgt.columns()) {
            if (tc.computed()) {
                continue;
            }
            boolean isKey = tgt.primaryKey().contains(tc.name());
            if (isKey && tgt.primaryKey().size() == 1 && targetKeyGenerated) {
                continue;
            }
            Optional<Column> sc = Names.pick(byFold.getOrDefault(Names.fold(tc.name()), List.of()), tc.name(), Column::name);
            Optional<ForeignKey> composite = tgt.foreignKeys().stream()
                    .filter(f -> !f.single() && f.columns().contains(tc.name())).findFirst();
            if (composite.isPresent()) {
                sc.ifPresent(c -> usedSource.add(c.name()));
                unmapped.add(new Mapping(tgtSql(tc.name()), sc.map(c -> srcSql(c.name())).orElse(null),
                        Remark.todo("part of a composite foreign key to " + composite.get().parentTable()
                                + ": translate it with a composite ref, or give an expression")));
                continue;
            }
            Optional<ForeignKey> tfk = tgt.foreignKeyOn(tc.name());
            if (sc.isEmpty() && tfk.isPresent()) {
                sc = sourceColumnByForeignKey(tfk.get(), all, usedSource);
            }
            Optional<ForeignKey> sfk = sc.flatMap(c -> src.foreignKeyOn(c.name()));
            if (tfk.isPresent() || sfk.isPresent()) {
                sc.ifPresent(c -> usedSource.add(c.name()));
                mapRef(tc, sc, tfk, sfk, all);
                continue;
            }
            if (sc.isPresent()) {
                usedSource.add(sc.get().name());
                columns.add(new Mapping(tgtSql(tc.name()), srcSql(sc.get().name()), quotedTarget(tc.name(), null)));
            } else if (tc.required()) {
                unmapped.add(new Mapping(tgtSql(tc.name()), null, Remark.todo(isKey
                        ? "the target key is not generated and no source column has its name: give it an expression"
                        : "NOT NULL without a default, and no source column has its name: give it an expression")));
            } else {
                leftOut.add(tc.name());
            }
        }
        if (isKeyedByTarget() && !targetKeyGenerated) {
            String tk = tgt.primaryKey().get(0);
            boolean supplied = columns.stream().anyMatch(m -> m.target().equals(tgtSql(tk)));
            if (!supplied && refs.stream().anyMatch(r -> r.target.equals(tgtSql(tk)))) {
                stepRemarks.add(Remark.todo("the target key " + tk + " is filled by a ref, which cutover does not take as the target key: "
                        + "check how this step keys its rows"));
            }
        }
        if (targetKeyGenerated) {
            String tk = tgt.primaryKey().get(0);
            Names.pick(byFold.getOrDefault(Names.fold(tk), List.of()), tk, Column::name).filter(c -> src.primaryKey().contains(c.name()))
                    .ifPresent(c -> {
                        usedSource.add(c.name());
                        stepRemarks.add(Remark.note("target key " + tk + " is generated by the target; to keep the source's "
                                + c.name() + " values instead, add '" + tk + ": " + srcSql(c.name()) + "' to columns"));
                    });
        }
        if (!leftOut.isEmpty()) {
            stepRemarks.add(Remark.note("target columns no source column fills (NULL or their default): " + String.join(", ", leftOut)));
        }
        List<String> sourceLeft = src.columns().stream().map(Column::name)
                .filter(n -> !usedSource.contains(n) && !src.primaryKey().contains(n) && !changed.contains(srcSql(n))).toList();
        if (!sourceLeft.isEmpty()) {
            stepRemarks.add(Remark.note("source columns not migrated: " + String.join(", ", sourceLeft)));
        }
        if (active && columns.isEmpty() && refs.stream().noneMatch(r -> r.active)) {
            inactive("no target column of " + tgt.name() + " has a source column of its name: map its columns, then uncomment");
        }
    }

    private boolean isKeyedByTarget() {
        return tgt.primaryKey().size() == 1;
    }

    /** The source column that a source foreign key points at the parent of {@code tfk} through. */
    private Optional<Column> sourceColumnByForeignKey(ForeignKey tfk, List<StepDraft> all, Set<String> used) {
        Optional<StepDraft> parent = all.stream().filter(b -> b.tgt.name().equals(tfk.parentTable())).findFirst();
        if (parent.isEmpty()) {
            return Optional.empty();
        }
        List<ForeignKey> candidates = src.foreignKeys().stream()
                .filter(f -> f.single() && f.parentTable().equals(parent.get().src.name()) && !used.contains(f.columns().get(0)))
                .toList();
        return candidates.size() == 1 ? src.column(candidates.get(0).columns().get(0)) : Optional.empty();
    }

    private void mapRef(Column tc, Optional<Column> sc, Optional<ForeignKey> tfk, Optional<ForeignKey> sfk, List<StepDraft> all) {
        String col = tgtSql(tc.name());
        Optional<StepDraft> byTarget = tfk.flatMap(f -> all.stream().filter(b -> b.tgt.name().equals(f.parentTable())).findFirst());
        Optional<StepDraft> bySource = sfk.flatMap(f -> all.stream().filter(b -> b.src.name().equals(f.parentTable())).findFirst());
        String parentTable = tfk.map(ForeignKey::parentTable).orElseGet(() -> sfk.get().parentTable());
        if (sc.isEmpty()) {
            unmapped.add(new Mapping(col, null, tc.required()
                    ? Remark.todo("refers to " + parentTable + ", and no source column has its name: add a ref {from: <source column>, step: <parent step>}")
                    : Remark.note("refers to " + parentTable + "; no source column has its name")));
            return;
        }
        String from = srcSql(sc.get().name());
        if (byTarget.isPresent() && bySource.isPresent() && byTarget.get() != bySource.get()) {
            unmapped.add(new Mapping(col, from, Remark.todo("the target refers to " + tfk.get().parentTable() + " (step "
                    + byTarget.get().name + ") but the source column " + sc.get().name() + " to " + sfk.get().parentTable()
                    + " (step " + bySource.get().name + "): decide which")));
            return;
        }
        Optional<StepDraft> parent = byTarget.or(() -> bySource);
        if (parent.isEmpty()) {
            unmapped.add(new Mapping(col, from, Remark.todo("refers to " + parentTable
                    + ", which no step fills: add a step for it, or map the column with an expression")));
            return;
        }
        StepDraft p = parent.get();
        String problem = null;
        if (tfk.isPresent() && !p.tgt.primaryKey().equals(tfk.get().parentColumns())) {
            problem = "refers to " + tfk.get().parentColumns() + " of " + p.tgt.name() + ", not to its key";
        } else if (sfk.isPresent() && !p.src.primaryKey().equals(sfk.get().parentColumns())) {
            problem = "the source column refers to " + sfk.get().parentColumns() + " of " + p.src.name() + ", not to its key";
        } else if (p.tgt.primaryKey().size() != 1 || p.src.primaryKey().size() != 1) {
            problem = "the parent step " + p.name + " has a composite key";
        }
        if (problem != null) {
            unmapped.add(new Mapping(col, from, Remark.todo(problem + ": translate it by hand")));
            return;
        }
        Remark remark = p == this ? Remark.note("a self-reference: a row whose parent arrives in the same window needs a second pass") : null;
        Ref ref = new Ref(col, from, p.name, tc.nullable(), quotedTarget(tc.name(), remark));
        if (!p.active) {
            ref.active = false;
            ref.remark = Remark.todo("its parent step " + p.name + " is commented out: uncomment both together");
        }
        refs.add(ref);
    }

    /** A remark asking to check a target name that only works quoted (cutover writes target names as given). */
    private Remark quotedTarget(String name, Remark otherwise) {
        return target.names().needsQuotes(name)
                ? Remark.todo("the target column " + name + " needs quotes in SQL: check the plan with cutover sql check")
                : otherwise;
    }

    private String srcSql(String name) {
        return source.names().sql(name);
    }

    private String tgtSql(String name) {
        return target.names().sql(name);
    }

    DraftStep build() {
        List<Remark> all = new ArrayList<>(stepRemarks);
        if (target.names().needsQuotes(tgt.name())) {
            all.add(Remark.todo("the target table " + tgt.name() + " needs quotes in SQL: check the plan with cutover sql check"));
        }
        return new DraftStep(name, srcSql(src.name()), tgtSql(tgt.name()), active,
                src.primaryKey().stream().map(this::srcSql).toList(), tgt.primaryKey().stream().map(this::tgtSql).toList(),
                changed, columns, refs.stream().map(r -> new RefMapping(r.target, r.from, r.step, r.active, r.remark)).toList(),
                unmapped, all);
    }

    /** A ref while the draft is being made. */
    static final class Ref {
        final String target;
        final String from;
        final String step;
        final boolean nullable;
        boolean active = true;
        Remark remark;

        Ref(String target, String from, String step, boolean nullable, Remark remark) {
            this.target = target;
            this.from = from;
            this.step = step;
            this.nullable = nullable;
            this.remark = remark;
        }
    }
}
