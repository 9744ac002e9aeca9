package io.cutover.redis.copy;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.select.DbMapping;
import io.cutover.redis.select.KeySelection;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link RedisCopy} copies and how.
 *
 * @param selection        which keys (include/exclude globs)
 * @param dbMapping        where each source database goes on the target, with optional key prefixes
 * @param mode             DUMP/RESTORE, type-native, or chosen by the target's RDB version
 * @param replace          overwrite keys that already exist on the target (otherwise they are listed, not touched)
 * @param batch            keys per pipelined round trip
 * @param threads          copy workers, each with its own connections
 * @param rateOpsPerSecond cap on commands per second sent to the source (0 = no cap)
 * @param checkpoint       file recording the scan position so a killed copy resumes (null = none)
 * @param dryRun           scan and count, write nothing
 * @param batchMegabytes   most MB of values all workers together hold read at once on the type-native path
 */
public record CopyOptions(KeySelection selection, DbMapping dbMapping, CopyMode mode, boolean replace, int batch,
                          int threads, long rateOpsPerSecond, Path checkpoint, boolean dryRun,
                          int batchMegabytes) {

    /** Default keys per batch: one pipelined round trip per 1000 keys. */
    public static final int DEFAULT_BATCH = 1000;
    /** Default workers. */
    public static final int DEFAULT_THREADS = 8;
    /** Default MB of values in flight: well under the 256 MB heap the launcher gives. */
    public static final int DEFAULT_BATCH_MB = 32;

    public CopyOptions {
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(dbMapping, "dbMapping");
        Objects.requireNonNull(mode, "mode");
        if (batch < 1 || batch > 100_000) {
            throw CutoverException.usage("--batch: expected 1..100000, got " + batch);
        }
        if (threads < 1 || threads > 64) {
            throw CutoverException.usage("--threads: expected 1..64, got " + threads);
        }
        if (batchMegabytes < 1 || batchMegabytes > 65_536) {
            throw CutoverException.usage("--batch-mb: expected 1..65536, got " + batchMegabytes);
        }
        if (rateOpsPerSecond < 0) {
            throw CutoverException.usage("--rate: expected a positive number of operations per second, got " + rateOpsPerSecond);
        }
    }

    /** Every key, identity db mapping, AUTO mode, no replace, default batch and threads, no rate cap. */
    public static CopyOptions defaults() {
        return new CopyOptions(KeySelection.all(), DbMapping.identity(), CopyMode.AUTO, false, DEFAULT_BATCH,
                DEFAULT_THREADS, 0, null, false, DEFAULT_BATCH_MB);
    }

    public CopyOptions withSelection(KeySelection s) {
        return new CopyOptions(s, dbMapping, mode, replace, batch, threads, rateOpsPerSecond, checkpoint, dryRun, batchMegabytes);
    }

    public CopyOptions withDbMapping(DbMapping m) {
        return new CopyOptions(selection, m, mode, replace, batch, threads, rateOpsPerSecond, checkpoint, dryRun, batchMegabytes);
    }

    public CopyOptions withMode(CopyMode m) {
        return new CopyOptions(selection, dbMapping, m, replace, batch, threads, rateOpsPerSecond, checkpoint, dryRun, batchMegabytes);
    }

    public CopyOptions withReplace(boolean r) {
        return new CopyOptions(selection, dbMapping, mode, r, batch, threads, rateOpsPerSecond, checkpoint, dryRun, batchMegabytes);
    }

    public CopyOptions withBatch(int b) {
        return new CopyOptions(selection, dbMapping, mode, replace, b, threads, rateOpsPerSecond, checkpoint, dryRun, batchMegabytes);
    }

    public CopyOptions withThreads(int t) {
        return new CopyOptions(selection, dbMapping, mode, replace, batch, t, rateOpsPerSecond, checkpoint, dryRun, batchMegabytes);
    }

    public CopyOptions withRate(long opsPerSecond) {
        return new CopyOptions(selection, dbMapping, mode, replace, batch, threads, opsPerSecond, checkpoint, dryRun, batchMegabytes);
    }

    public CopyOptions withCheckpoint(Path file) {
        return new CopyOptions(selection, dbMapping, mode, replace, batch, threads, rateOpsPerSecond, file, dryRun, batchMegabytes);
    }

    public CopyOptions withBatchMegabytes(int mb) {
        return new CopyOptions(selection, dbMapping, mode, replace, batch, threads, rateOpsPerSecond, checkpoint, dryRun, mb);
    }

    /** Bytes of values one worker may hold read at once: its share of {@link #batchMegabytes()}, at least 1 MB. */
    public long workerBatchBytes() {
        return Math.max(1L << 20, ((long) batchMegabytes << 20) / threads);
    }

    public CopyOptions withDryRun(boolean d) {
        return new CopyOptions(selection, dbMapping, mode, replace, batch, threads, rateOpsPerSecond, checkpoint, d, batchMegabytes);
    }
}
