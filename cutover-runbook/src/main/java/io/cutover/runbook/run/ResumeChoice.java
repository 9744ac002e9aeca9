package io.cutover.runbook.run;

/** What to do with a step that was running when the previous process died. */
public enum ResumeChoice {
    /** Run it again from the start. */
    RERUN,
    /** It finished: record it done. */
    DONE,
    /** It did not: record it failed (its on_failure applies). */
    FAIL
}
