package io.cutover.runbook.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What a step does: one of the step kinds of the runbook file. */
public sealed interface Action {
    /** The kind as written in the file. */
    String kind();

    /** A Cutover command, run in-process. */
    record RunCutover(String command, List<String> args) implements Action {
        public String kind() {
            return "cutover";
        }
    }

    /** A shell command ({@code /bin/sh -c}), killed after {@code timeout}. */
    record Shell(String command, Duration timeout, Map<String, String> env) implements Action {
        public String kind() {
            return "shell";
        }
    }

    /** Something a person does and then marks done or failed. */
    record Manual(String instruction) implements Action {
        public String kind() {
            return "manual";
        }
    }

    /** A condition polled every {@code every} until it holds or {@code timeout} has passed. */
    record Gate(GateCheck check, Duration timeout, Duration every) implements Action {
        public String kind() {
            return "gate";
        }
    }

    /** A pause of fixed length. */
    record Wait(Duration length) implements Action {
        public String kind() {
            return "wait";
        }
    }
}
