package io.cutover.sql.plan;

import java.util.List;
import java.util.Optional;

/** A migration plan: source, target, deletion log and steps (see {@link PlanLoader}). */
public record Plan(Endpoint source, Endpoint target, DeletionLog deletions, List<Step> steps) {
    public Plan {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The steps in dependency order (parents first). */
    public List<Step> ordered() {
        return StepOrder.of(this).ordered();
    }
}
