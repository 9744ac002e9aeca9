package io.cutover.cli;

import io.cutover.core.workers.Worker;
import picocli.CommandLine.Option;

/** {@code --workers-total N --worker I|auto}: one of N processes sharing a job (Kubernetes Indexed Job, AWS Batch array job). */
public final class WorkerOptions {
    @Option(names = "--workers-total", paramLabel = "N",
            description = "Split the job among N workers started with the same command (with --worker).")
    Integer total;

    @Option(names = "--worker", paramLabel = "I|auto",
            description = "This worker, from 0; auto: JOB_COMPLETION_INDEX (Kubernetes Indexed Job), else "
                    + "AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job).")
    String worker;

    /** {@code --workers-total}, or null when not given. */
    public Integer total() {
        return total;
    }

    /** Whether either option was given. */
    public boolean given() {
        return total != null || worker != null;
    }

    /** This worker (a usage error for a bad combination), the index read from the process environment for auto. */
    public Worker worker() {
        return Worker.resolve(worker, total, System.getenv());
    }
}
