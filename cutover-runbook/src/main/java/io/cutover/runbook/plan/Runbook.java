package io.cutover.runbook.plan;

import io.cutover.runbook.state.StateLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A checked runbook: steps expanded and their {@code after} resolved. */
public record Runbook(Path file, String name, Window window, Map<String, String> vars, StateLocation state, List<Step> steps) {
    public Optional<Step> step(String id) {
        return steps.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The steps a run goes through (those only named as rollbacks left out). */
    public List<Step> forward() {
        return steps.stream().filter(s -> !s.rollbackOnly()).toList();
    }
}
