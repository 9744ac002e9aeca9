package io.cutover.sql.draft;

import java.util.List;

/**
 * A step of a drafted plan, with what it could not decide. Names are written as each side's SQL needs them.
 *
 * @param active    false when the step is written commented out (no key, no time column…: see its remarks)
 * @param key       the source key column(s)
 * @param targetKey the target key column(s)
 * @param columns   target column from a source expression, in target column order
 * @param refs      target column translated through a parent step's migration log
 * @param unmapped  target columns left out, each with why
 * @param remarks   what the step as a whole needs the user to look at
 */
public record DraftStep(String name, String from, String into, boolean active, List<String> key, List<String> targetKey,
                        List<String> changed, List<Mapping> columns, List<RefMapping> refs, List<Mapping> unmapped,
                        List<Remark> remarks) {
    public DraftStep {
        key = List.copyOf(key);
        targetKey = List.copyOf(targetKey);
        changed = List.copyOf(changed);
        columns = List.copyOf(columns);
        refs = List.copyOf(refs);
        unmapped = List.copyOf(unmapped);
        remarks = List.copyOf(remarks);
    }

    /** A target column and what fills it, with an optional remark on its line. */
    public record Mapping(String target, String source, Remark remark) {
    }

    /**
     * A ref: target column {@code target} holds the key {@code step} gave the source row {@code from} points at.
     * {@code active} false writes it commented out (it closes a cycle, its parent step is commented out…).
     */
    public record RefMapping(String target, String from, String step, boolean active, Remark remark) {
    }

    /** Every {@code # TODO} of this step. */
    public long todos() {
        return remarks.stream().filter(Remark::todo).count()
                + columns.stream().filter(m -> m.remark() != null && m.remark().todo()).count()
                + refs.stream().filter(r -> r.remark() != null && r.remark().todo()).count()
                + unmapped.stream().filter(m -> m.remark() != null && m.remark().todo()).count();
    }

    /** The steps this one refers to through its active refs (itself excluded). */
    public List<String> parents() {
        return refs.stream().filter(RefMapping::active).map(RefMapping::step).filter(s -> !s.equals(name)).distinct().toList();
    }
}
