package io.cutover.sql.migrate;

import io.cutover.sql.plan.Window;
import io.cutover.core.error.CutoverException;
import io.cutover.sql.db.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One reader thread streaming a step's source batches into a small queue, and {@code workers} threads each
 * holding its own target connection and handling whole batches. Batches hold disjoint keys, so workers never
 * touch the same rows; memory holds at most queue + workers batches.
 */
public final class BatchPipeline {
    /** Handles one batch on the worker's own target connection (auto-commit off). */
    public interface Worker<T> {
        void handle(Connection target, List<T> batch) throws Exception;
    }

    /** Produces the batches, handing each to the sink (which may block or throw to stop reading). */
    public interface Reader<T> {
        void read(Sink<T> sink) throws Exception;
    }

    /** Receives one batch. */
    public interface Sink<T> {
        void accept(List<T> batch) throws Exception;
    }

    private BatchPipeline() {
    }

    /**
     * Source rows of {@code window} (restricted to {@code keys} when not null) read by {@code reader}; {@code doing}
     * names the work in a failure's message ("writing step users", "verifying step users").
     */
    public static void run(String doing, RowReader reader, Window window, Set<String> keys, Database target, int workers,
                           Worker<SourceRow> worker) {
        run(doing, sink -> reader.read(window, keys, sink::accept), target, workers, worker);
    }

    public static <T> void run(String doing, Reader<T> reader, Database target, int workers, Worker<T> worker) {
        int n = Math.max(1, workers);
        List<T> end = new ArrayList<>(0); // compared by identity
        BlockingQueue<List<T>> queue = new ArrayBlockingQueue<>(n + 1);
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        Thread read = new Thread(() -> {
            try {
                reader.read(batch -> {
                    if (failure.get() != null) {
                        throw new InterruptedException("a worker failed");
                    }
                    queue.put(batch);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                // after a failure the workers stop on their own; otherwise each gets an end marker
                for (int i = 0; i < n && failure.get() == null; i++) {
                    try {
                        queue.put(end);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }, "cutover-read");
        read.setDaemon(true);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = target.connection()) {
                    c.setAutoCommit(false);
                    try {
                        while (true) {
                            List<T> batch = queue.poll(200, TimeUnit.MILLISECONDS);
                            if (failure.get() != null || batch == end) {
                                return;
                            }
                            if (batch != null) {
                                worker.handle(c, batch);
                            }
                        }
                    } finally {
                        try {
                            c.rollback();
                            c.setAutoCommit(true);
                        } catch (SQLException ignored) {
                            // the connection is broken; the pool discards it
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    read.interrupt();
                    queue.clear();
                }
            }, "cutover-write-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        read.start();
        threads.forEach(Thread::start);
        try {
            for (Thread t : threads) {
                t.join();
            }
            read.interrupt();
            read.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            read.interrupt();
            threads.forEach(Thread::interrupt);
            throw CutoverException.runtime("interrupted");
        }
        Exception e = failure.get();
        if (e instanceof CutoverException ce) {
            throw ce;
        }
        if (e instanceof SQLException se) {
            throw target.failure(doing, se);
        }
        if (e != null) {
            // a bug rather than a database's answer: name the exception, its message may be empty
            throw CutoverException.runtime(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }
}
