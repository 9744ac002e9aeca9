package io.cutover.redis.workers;

/**
 * What one worker did, and the share it did it on.
 *
 * @param share  what the worker covered
 * @param report the copy's or verify's own report, over that share only
 */
public record WorkerResult<R>(WorkerShare share, R report) {
}
