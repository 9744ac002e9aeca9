package io.cutover.sql.draft;

import io.cutover.sql.plan.Endpoint;

import java.util.List;

/**
 * A drafted plan: its steps (parents first), remarks on the plan as a whole, and how many tables each side has.
 * {@link #yaml()} writes it as a commented plan file.
 */
public record Draft(Endpoint source, Endpoint target, List<DraftStep> steps, List<Remark> remarks, int sourceTables,
                    int targetTables) {
    public Draft {
        steps = List.copyOf(steps);
        remarks = List.copyOf(remarks);
    }

    /** How many {@code # TODO} the plan holds. */
    public long todos() {
        return remarks.stream().filter(Remark::todo).count() + steps.stream().mapToLong(DraftStep::todos).sum();
    }

    /** Steps written commented out. */
    public long inactiveSteps() {
        return steps.stream().filter(s -> !s.active()).count();
    }

    public String yaml() {
        return new PlanWriter(this).write();
    }
}
