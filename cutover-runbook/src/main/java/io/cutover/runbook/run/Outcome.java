package io.cutover.runbook.run;

/** How a step's work ended: done, or failed and why. */
public record Outcome(boolean ok, String why) {
    static Outcome done() {
        return new Outcome(true, null);
    }

    static Outcome failed(String why) {
        return new Outcome(false, why);
    }
}
