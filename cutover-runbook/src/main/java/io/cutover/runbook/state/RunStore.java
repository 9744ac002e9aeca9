package io.cutover.runbook.state;

import java.util.List;

/**
 * Where a runbook's runs are recorded and where decisions from other terminals wait for the running process: a
 * file beside the runbook, or a database that operators on several machines share.
 */
public interface RunStore extends AutoCloseable {
    /** The recorded runs; an empty history when none is recorded yet. */
    History load();

    /** Replaces the recorded runs with {@code h}, or fails when another conductor changed them since this one read them. */
    void save(History h);

    /**
     * The right to run this runbook, held until closed; refused (a usage error) while another process holds it.
     * It goes with the process (a file lock) or its connection (a row lock), so a crash never leaves it held.
     */
    AutoCloseable conduct();

    /** Hands a decision to the running process. */
    void post(Decision d);

    /** Every waiting decision, each taken once. */
    List<Decision> take();

    /** Where, for messages (passwords masked). */
    String where();

    @Override
    void close();
}
