package io.cutover.router.route;

/**
 * The percentage of a rollout a promotion moves: read on every routing decision, set by the promoter. A plain volatile:
 * one writer, many readers, and a reader that sees the old share for one more request is harmless.
 */
public final class Share {
    private volatile double percent;

    public Share(double percent) {
        this.percent = percent;
    }

    public double percent() {
        return percent;
    }

    public void set(double percent) {
        this.percent = Math.max(0, Math.min(100, percent));
    }
}
