package io.cutover.sql;

import java.util.List;

/**
 * The result of {@code check}: the steps in dependency order, every problem found (empty when the plan is good), and
 * the deferred refs ({@code step.column: why}), whose columns are written NULL first and filled once the run's rows are in.
 */
public record CheckReport(List<String> order, List<String> problems, List<String> deferred) {
    public CheckReport(List<String> order, List<String> problems) {
        this(order, problems, List.of());
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
