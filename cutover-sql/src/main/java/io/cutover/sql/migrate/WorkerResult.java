package io.cutover.sql.migrate;

import java.util.List;

/**
 * What one worker of a shared window did: the run it joined, the units it did (e.g. {@code orders rows 2/4}) with
 * their counts per step, and whether it found the run already complete ({@code nothingToDo}).
 */
public record WorkerResult(int worker, int workersTotal, boolean createdRun, boolean nothingToDo, List<String> units,
                           MigrateResult result) {
}
