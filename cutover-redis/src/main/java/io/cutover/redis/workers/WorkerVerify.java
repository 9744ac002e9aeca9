package io.cutover.redis.workers;

import io.cutover.core.progress.Progress;
import io.cutover.core.workers.Worker;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.verify.RedisVerify;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;

/**
 * One worker's part of a verify split among several, on the same shares as a split copy: the source keys of its
 * slots, and the target keys that would come from them (every worker reads the target's key names; each checks
 * only its own). The N reports together count what one verify counts.
 */
public final class WorkerVerify {
    private final RedisEndpoint source;
    private final RedisEndpoint target;
    private final VerifyOptions options;
    private final Worker worker;
    private final Progress progress;

    public WorkerVerify(RedisEndpoint source, RedisEndpoint target, VerifyOptions options, Worker worker, Progress progress) {
        this.source = source;
        this.target = target;
        this.options = options;
        this.worker = worker;
        this.progress = progress;
    }

    /** Compares this worker's share. */
    public WorkerResult<VerifyReport> run() {
        WorkerShare share = WorkerShares.of(source, worker);
        VerifyOptions o = options.withSelection(options.selection().withinSlots(share.slots()));
        VerifyReport report = new RedisVerify(source, target, o, progress).run();
        WorkerShares.checkUnchanged(source, share);
        return new WorkerResult<>(share, report);
    }
}
