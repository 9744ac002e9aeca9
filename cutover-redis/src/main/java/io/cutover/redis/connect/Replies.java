package io.cutover.redis.connect;

import io.cutover.core.error.CutoverException;
import io.lettuce.core.RedisCommandExecutionException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for pipelined Lettuce replies, one way everywhere: a lost connection or a timeout is a one-line
 * {@link CutoverException} naming the side; what happens to a Redis error reply (about one key: WRONGTYPE, a key
 * that changed under us…) is the caller's choice among the methods here.
 */
public final class Replies {
    private static final long TIMEOUT_SECONDS = 120;

    private Replies() {
    }

    /** The reply; a Redis error reply fails too. */
    public static <T> T await(RedisEndpoint side, Future<T> f) {
        try {
            return get(side, f);
        } catch (ExecutionException e) {
            throw side.failure(e.getCause() == null ? e : e.getCause());
        }
    }

    /** The reply, or null when it is a Redis error reply. */
    public static <T> T awaitOrNull(RedisEndpoint side, Future<T> f) {
        return error(side, f) == null ? done(f) : null;
    }

    /** The first line of the Redis error reply, or null when the command succeeded. */
    public static String error(RedisEndpoint side, Future<?> f) {
        try {
            get(side, f);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RedisCommandExecutionException rce) {
                String m = String.valueOf(rce.getMessage());
                int nl = m.indexOf('\n');
                return nl < 0 ? m : m.substring(0, nl);
            }
            throw side.failure(e.getCause() == null ? e : e.getCause());
        }
    }

    /** The reply within the timeout; what the command itself failed with is left to the caller. */
    private static <T> T get(RedisEndpoint side, Future<T> f) throws ExecutionException {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        } catch (TimeoutException e) {
            throw side.failure(e);
        }
    }

    /** The reply of a command {@link #error} found successful. */
    public static <T> T done(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("command was not finished", e);
        }
    }

    /**
     * The reply; a failure is thrown as Lettuce raised it (a {@link RedisCommandExecutionException} for a Redis error
     * reply, which a caller turns into one key's failure; anything else ends the caller's job).
     */
    public static <T> T awaitRaw(Future<T> f) {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        } catch (TimeoutException e) {
            throw new IllegalStateException("no reply in " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /** The reply; a Redis error reply is a runtime failure naming the side and the error. */
    public static <T> T value(RedisEndpoint side, Future<T> f) {
        String error = error(side, f);
        if (error != null) {
            throw CutoverException.runtime(side.role() + " " + side.uri().address() + ": " + error);
        }
        return done(f);
    }
}
