package io.cutover.sql;

import java.util.List;

/** The result of {@code check}: the steps in dependency order and every problem found (empty when the plan is good). */
public record CheckReport(List<String> order, List<String> problems) {
    public boolean ok() {
        return problems.isEmpty();
    }
}
