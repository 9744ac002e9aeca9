package io.cutover.runbook.gate;

/** Reads one gate's signal; opened once per gate and closed when the gate ends. */
public interface Probe extends AutoCloseable {
    /** The current reading; a signal that cannot be read is a reading that is not met, saying why. */
    Reading read();

    @Override
    default void close() {
    }
}
