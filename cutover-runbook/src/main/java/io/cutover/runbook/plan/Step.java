package io.cutover.runbook.plan;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One step after {@code for_each} expansion.
 *
 * @param id               unique id; an expanded step is {@code base[item]}
 * @param base             the id as written in the file
 * @param after            ids (expanded) that must finish first
 * @param planned          planned duration (zero when the file gives none)
 * @param at               earliest start, a fixed time inside the window, or null
 * @param rollback         ids of the steps that undo this one
 * @param rollbackOnly     true for a step named only in some {@code rollback:} list: it runs only when rolling back
 * @param where            where the step is written
 */
public record Step(String id, String base, String title, String owner, String phase, List<String> after,
                   Duration planned, OffsetDateTime at, boolean confirm, OnFailure onFailure, List<String> rollback,
                   boolean pointOfNoReturn, boolean idempotent, Action action, boolean rollbackOnly, Node.Where where) {
}
