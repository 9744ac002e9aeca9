package io.cutover.core.progress;

import io.cutover.core.output.Bytes;
import io.cutover.core.time.Durations;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Progress of a long job: items/s, MB/s and ETA, redrawn once a second on a terminal, silent otherwise.
 * Counters are cheap to bump from many threads.
 */
public final class Progress implements AutoCloseable {
    private final String label;
    private final PrintStream out;
    private final boolean visible;
    private final LongAdder items = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private volatile long total;
    private volatile String detail = "";
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;

    private Progress(String label, long total, PrintStream out, boolean visible) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.visible = visible;
        if (visible) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cutover-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::draw, 1, 1, TimeUnit.SECONDS);
        } else {
            ticker = null;
        }
    }

    /** Shows progress on stderr when it is a terminal; {@code total} is 0 when unknown. */
    public static Progress onTerminal(String label, long total) {
        return new Progress(label, total, System.err, System.console() != null);
    }

    /** Shows progress on {@code out} when {@code visible}. */
    public static Progress to(PrintStream out, boolean visible, String label, long total) {
        return new Progress(label, total, out, visible);
    }

    /** A progress that prints nothing (library use, JSON output). */
    public static Progress silent() {
        return new Progress("", 0, System.err, false);
    }

    public void add(long n) {
        items.add(n);
    }

    public void add(long n, long byteCount) {
        items.add(n);
        bytes.add(byteCount);
    }

    public void total(long total) {
        this.total = total;
    }

    /** Extra text shown after the rates (e.g. "db 3", "pending 120"). */
    public void detail(String detail) {
        this.detail = detail == null ? "" : detail;
    }

    public long items() {
        return items.sum();
    }

    public long bytes() {
        return bytes.sum();
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Items per second since start. */
    public double rate() {
        double s = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        return items.sum() / s;
    }

    /** One line describing the current state. */
    public String line() {
        long n = items.sum();
        double s = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = n / s;
        StringBuilder sb = new StringBuilder(label).append(": ").append(n);
        if (total > 0) {
            sb.append('/').append(total).append(String.format(" (%.0f%%)", 100.0 * n / total));
        }
        sb.append(String.format(", %.0f/s", rate));
        long b = bytes.sum();
        if (b > 0) {
            sb.append(String.format(", %.1f MB/s", b / s / 1_048_576));
        }
        if (total > n && rate > 0) {
            sb.append(", ETA ").append(Durations.format(Duration.ofMillis((long) ((total - n) / rate * 1000))));
        }
        if (!detail.isEmpty()) {
            sb.append(", ").append(detail);
        }
        return sb.toString();
    }

    private void draw() {
        out.print("\r\033[K" + line());
        out.flush();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            out.print("\r\033[K");
            out.flush();
        }
    }

    @Override
    public String toString() {
        return line() + " in " + Durations.format(elapsed()) + (bytes.sum() > 0 ? ", " + Bytes.human(bytes.sum()) : "");
    }
}
