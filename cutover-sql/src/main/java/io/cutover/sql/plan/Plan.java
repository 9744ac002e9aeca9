package io.cutover.sql.plan;

import java.util.List;
import java.util.Optional;

/**
 * A migration plan: source, target, deletion log and steps (see {@link PlanLoader}).
 *
 * @param timeZone the zone a {@code timestamp} without zone (and a time given without offset) is read in, on
 *                 both sides; null means UTC
 */
public record Plan(Endpoint source, Endpoint target, DeletionLog deletions, List<Step> steps, String timeZone) {
    public Plan {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public Plan(Endpoint source, Endpoint target, DeletionLog deletions, List<Step> steps) {
        this(source, target, deletions, steps, null);
    }

    /** The zone of times without zone (checked when the plan is loaded). */
    public java.time.ZoneId zone() {
        return timeZone == null || timeZone.isBlank() ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(timeZone);
    }

    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The steps in dependency order (parents first). */
    public List<Step> ordered() {
        return StepOrder.of(this).ordered();
    }
}
