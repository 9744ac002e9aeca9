package io.cutover.redis.verify;

import io.cutover.core.error.CutoverException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Batches compared on several threads at once, each thread with its own connections ({@code C}): while one batch
 * waits for its replies, another is being sent or read, so both servers stay busy. The thread that submits (the
 * one scanning) waits when every lane is busy; the first failure stops the run and is thrown to it.
 */
final class Lanes<C extends AutoCloseable> {
    /** One batch's work on a lane's connections, adding what it finds to {@code into}. */
    interface Task<C> {
        void run(C lane, Findings into) throws Exception;
    }

    private final BlockingQueue<Task<C>> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Task<C> end = (lane, into) -> { };

    /** Starts {@code n} lanes, each opening its connections with {@code open}; each batch's findings go to {@code done}. */
    Lanes(int n, Supplier<C> open, int listLimit, Consumer<Findings> done) {
        queue = new ArrayBlockingQueue<>(n * 2);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> work(open, listLimit, done), "cutover-verify-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void work(Supplier<C> open, int listLimit, Consumer<Findings> done) {
        try (C lane = open.get()) {
            while (true) {
                Task<C> task = queue.take();
                if (task == end || failure.get() != null) {
                    return;
                }
                Findings f = new Findings(listLimit);
                task.run(lane, f);
                done.accept(f);
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Hands a batch to the next free lane. */
    void submit(Task<C> task) {
        try {
            while (!queue.offer(task, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
            rethrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted");
        }
    }

    /** Waits for every batch handed over; throws the first failure. */
    void finish() {
        for (Thread t : threads) {
            try {
                while (!queue.offer(end, 100, TimeUnit.MILLISECONDS)) {
                    if (failure.get() != null) {
                        queue.clear();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CutoverException.runtime("interrupted");
            }
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CutoverException.runtime("interrupted");
            }
        }
        rethrow();
    }

    private void rethrow() {
        Throwable e = failure.get();
        if (e == null) {
            return;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw CutoverException.runtime(String.valueOf(e.getMessage()));
    }
}
