package io.cutover.sql.plan;

/**
 * A foreign key translated through the migration log: source column {@code from} holds a key of {@code step}.
 *
 * @param deferred true to write the column NULL first and fill it in a second pass once the run's rows are in (a
 *                 self-reference, and a ref closing a cycle, are deferred without it)
 */
public record Ref(String from, String step, Boolean deferred) {
    public Ref(String from, String step) {
        this(from, step, null);
    }

    /** Whether the plan asks for it to be deferred. */
    public boolean deferredByPlan() {
        return Boolean.TRUE.equals(deferred);
    }
}
