package io.cutover.redis.workers;

import io.cutover.core.progress.Progress;
import io.cutover.core.workers.Worker;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.RedisCopy;

import java.nio.file.Path;

/**
 * One worker's part of a copy split among several: the keys of its {@link WorkerShare} and no other. The N workers'
 * copies together are one copy: every key in exactly one share, the counters adding up to a one-worker run's.
 * Each keeps its own checkpoint, {@code FILE.worker-I-of-N} (then {@code .HOST-PORT} per primary), which also
 * records the slots, so a checkpoint is never resumed over another share.
 */
public final class WorkerCopy {
    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final CopyOptions options;
    private final Worker worker;
    private final Progress progress;

    public WorkerCopy(RedisEndpoint source, RedisEndpoint target, CopyOptions options, Worker worker, Progress progress) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.worker = worker;
        this.progress = progress;
    }

    /** Copies this worker's share; throws as {@link RedisCopy#run()} does. */
    public WorkerResult<CopyReport> run() {
        WorkerShare share = WorkerShares.of(source, worker);
        CopyOptions o = options.withSelection(options.selection().withinSlots(share.slots()));
        if (o.checkpoint() != null && worker.split()) {
            o = o.withCheckpoint(checkpoint(o.checkpoint(), worker));
        }
        CopyReport report = new RedisCopy(source, target, o, progress).run();
        WorkerShares.checkUnchanged(source, share);
        return new WorkerResult<>(share, report);
    }

    /** The checkpoint file of one worker: {@code FILE.worker-I-of-N}. */
    public static Path checkpoint(Path file, Worker worker) {
        return file.resolveSibling(file.getFileName() + ".worker-" + worker.index() + "-of-" + worker.total());
    }
}
