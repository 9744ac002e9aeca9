package io.cutover.sql.report;

import java.time.LocalDateTime;
import java.util.List;

/**
 * {@code estimate}: what is pending per step between the last completed window and {@code until}, how long it
 * should take at the throughput measured in earlier runs, and with {@code --fit} where to end the last online
 * window so that the final window fits; {@code workers}: how many workers share the window in the prediction.
 */
public record EstimateReport(LocalDateTime since, LocalDateTime until, List<StepEstimate> steps, Double seconds, Fit fit,
                             int workers) {
    /**
     * One step: pending rows, measured rows/s (null when no earlier run measured it), predicted seconds, and
     * the rate the data changes at (rows per hour in the last completed window).
     */
    public record StepEstimate(String step, long pending, Double rowsPerSecond, Double seconds, double changesPerHour) {
    }

    /**
     * The proposal for {@code --fit}: end the last online window at {@code endOnlineWindowAt}, leaving a final
     * window of {@code finalRows} rows predicted to take {@code finalSeconds} (at most the budget).
     */
    public record Fit(double budgetSeconds, LocalDateTime endOnlineWindowAt, long finalRows, double finalSeconds,
                      String advice) {
    }
}
