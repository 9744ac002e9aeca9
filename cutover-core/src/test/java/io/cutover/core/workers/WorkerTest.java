package io.cutover.core.workers;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --worker / --workers-total, with the environment given as a map the way the engines set it. */
class WorkerTest {

    @Test
    void noOptionsIsTheOnlyWorker() {
        assertThat(Worker.resolve(null, null, Map.of("JOB_COMPLETION_INDEX", "3"))).isEqualTo(Worker.only());
        assertThat(Worker.only().split()).isFalse();
    }

    @Test
    void aNumberIsTakenAsItIs() {
        Worker w = Worker.resolve("4", 5, Map.of());
        assertThat(w).isEqualTo(new Worker(4, 5, null));
        assertThat(w.split()).isTrue();
        assertThat(w).hasToString("worker 4 of 5");
    }

    @Test
    void autoReadsTheKubernetesIndexFirstThenAwsBatch() {
        assertThat(Worker.resolve("auto", 3, Map.of("JOB_COMPLETION_INDEX", "2")))
                .isEqualTo(new Worker(2, 3, "JOB_COMPLETION_INDEX"));
        assertThat(Worker.resolve("auto", 3, Map.of("AWS_BATCH_JOB_ARRAY_INDEX", "1")))
                .isEqualTo(new Worker(1, 3, "AWS_BATCH_JOB_ARRAY_INDEX"));
        assertThat(Worker.resolve("auto", 3, Map.of("JOB_COMPLETION_INDEX", "0", "AWS_BATCH_JOB_ARRAY_INDEX", "2")))
                .isEqualTo(new Worker(0, 3, "JOB_COMPLETION_INDEX"));
        assertThat(Worker.resolve("auto", 3, Map.of("JOB_COMPLETION_INDEX", "2")))
                .hasToString("worker 2 of 3 (JOB_COMPLETION_INDEX)");
    }

    @Test
    void autoWithoutEitherVariableIsAUsageError() {
        assertUsage(() -> Worker.resolve("auto", 3, Map.of("JOB_INDEX", "1")),
                "--worker auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor AWS_BATCH_JOB_ARRAY_INDEX "
                        + "(AWS Batch array job) is set; give --worker I");
    }

    @Test
    void badCombinationsAreUsageErrors() {
        assertUsage(() -> Worker.resolve("5", 5, Map.of()), "--worker 5 is not below --workers-total 5 (workers are numbered from 0)");
        assertUsage(() -> Worker.resolve("auto", 2, Map.of("AWS_BATCH_JOB_ARRAY_INDEX", "2")),
                "--worker 2 (from AWS_BATCH_JOB_ARRAY_INDEX) is not below --workers-total 2 (workers are numbered from 0)");
        assertUsage(() -> Worker.resolve("0", 0, Map.of()), "--workers-total must be at least 1, got 0");
        assertUsage(() -> Worker.resolve("-1", 3, Map.of()), "--worker: expected a worker number from 0 or auto, got '-1'");
        assertUsage(() -> Worker.resolve("first", 3, Map.of()), "--worker: expected a worker number from 0 or auto, got 'first'");
        assertUsage(() -> Worker.resolve("auto", 3, Map.of("JOB_COMPLETION_INDEX", "x")),
                "JOB_COMPLETION_INDEX: expected a worker number from 0, got 'x'");
        assertUsage(() -> Worker.resolve("1", null, Map.of()), "--worker needs --workers-total N (how many workers share the job)");
        assertUsage(() -> Worker.resolve(null, 3, Map.of()), "--workers-total needs --worker I (from 0) or --worker auto");
    }

    private static void assertUsage(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(CutoverException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
