package io.cutover.runbook.state;

import java.time.Instant;

/** Something that happened in a run and who did it: a confirmation, a pause, a refused rollback. */
public record RunEvent(Instant at, String step, String what, String by) {
}
