package io.cutover.runbook.plan;

/** What a run does when a step fails. */
public enum OnFailure {
    /** Start nothing new; the run ends failed (the default). */
    STOP,
    /** Carry on as if the step had finished. */
    CONTINUE,
    /** Undo what has completed: the rollback steps of each completed step, newest first. */
    ROLLBACK
}
