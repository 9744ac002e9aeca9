package io.cutover.redis.inventory;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.select.KeySelection;

/**
 * What {@link KeyspaceInventory} groups and reports.
 *
 * @param delimiter separates the parts of a key name ({@code :})
 * @param depth     how many delimited parts form a prefix (1: {@code session:})
 * @param selection the keys a target would keep (the "selected" line); {@link KeySelection#all()} for none
 * @param top       how many of the biggest keys to list
 * @param batch     keys per SCAN batch and pipeline round trip
 */
public record InventoryOptions(String delimiter, int depth, KeySelection selection, int top, int batch) {
    public InventoryOptions {
        if (delimiter == null || delimiter.isEmpty()) {
            throw CutoverException.usage("--delimiter must not be empty");
        }
        if (depth < 1) {
            throw CutoverException.usage("--depth must be at least 1, got " + depth);
        }
        if (top < 0) {
            throw CutoverException.usage("--top must not be negative, got " + top);
        }
        if (batch < 1 || batch > 100_000) {
            throw CutoverException.usage("--batch must be between 1 and 100000, got " + batch);
        }
    }

    /** {@code :}, depth 1, everything, top 10, batches of 1000. */
    public static InventoryOptions defaults() {
        return new InventoryOptions(":", 1, KeySelection.all(), 10, 1000);
    }

    public InventoryOptions withSelection(KeySelection s) {
        return new InventoryOptions(delimiter, depth, s, top, batch);
    }
}
