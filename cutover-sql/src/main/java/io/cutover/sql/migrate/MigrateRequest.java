package io.cutover.sql.migrate;

import io.cutover.core.error.CutoverException;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;

/**
 * What {@code migrate} should do.
 *
 * @param since    window start; null with {@code next} (continue from the last completed window)
 * @param until    window end (exclusive)
 * @param only     step → keys for a subset run (empty: every row)
 * @param parallel how many independent steps run at once
 * @param batch    rows per target transaction
 * @param dryRun   read and translate, write nothing
 * @param writers  threads (each with its own target connection) writing one step's batches
 * @param allowFuture whether {@code until} may be later than now (rows changed after now would be missed by the
 *                 next window, which starts at {@code until})
 */
public record MigrateRequest(LocalDateTime since, LocalDateTime until, boolean next, Map<String, Set<String>> only,
                             int parallel, int batch, boolean dryRun, int writers, boolean allowFuture) {
    public MigrateRequest {
        only = only == null ? Map.of() : Map.copyOf(only);
        parallel = Math.max(1, parallel);
        batch = Math.max(1, batch);
        writers = Math.max(1, writers);
    }

    public MigrateRequest(LocalDateTime since, LocalDateTime until, boolean next, Map<String, Set<String>> only,
                          int parallel, int batch, boolean dryRun, int writers) {
        this(since, until, next, only, parallel, batch, dryRun, writers, false);
    }

    /** With two writers per step. */
    public MigrateRequest(LocalDateTime since, LocalDateTime until, boolean next, Map<String, Set<String>> only,
                          int parallel, int batch, boolean dryRun) {
        this(since, until, next, only, parallel, batch, dryRun, 2);
    }

    /**
     * A usage error unless workers can share this request: the window must be given ({@code --next} would let a late
     * worker start the next one); no subset, no dry run.
     */
    public void requireSharable() {
        if (next) {
            throw CutoverException.usage("--next cannot be used with --workers-total: every worker must name the same window "
                    + "(a late one would start the next window); give --since");
        }
        if (!only.isEmpty() || dryRun) {
            throw CutoverException.usage("--workers-total cannot be combined with --only or --dry-run");
        }
    }

    /** A full window with default parallelism (2) and batch size (5000). */
    public static MigrateRequest window(LocalDateTime since, LocalDateTime until) {
        return new MigrateRequest(since, until, false, Map.of(), 2, 5000, false);
    }
}
