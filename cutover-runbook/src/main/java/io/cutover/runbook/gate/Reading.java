package io.cutover.runbook.gate;

/** One look at a gate's signal: whether the condition holds, and the value as people read it. */
public record Reading(boolean met, String value) {
}
