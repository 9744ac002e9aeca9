package io.cutover.runbook;

import io.cutover.runbook.run.Measures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The sizes read from the summaries Cutover commands print (as in docs/redis.md and docs/sql.md) and from shell output. */
class MeasuresTest {
    @Test
    void aRedisCopySummaryGivesEachOutcomeInKeysAndTheBytes() {
        Map<String, Long> m = Measures.of(List.of(
                "copied redis://127.0.0.1:7401 -> redis://127.0.0.1:7402 (dump)",
                "outcome              keys",
                "-------------------------",
                "copied              20500",
                "skipped: unchanged      0",
                "skipped: filtered   32050",
                "failed                  0",
                "time 4.5s, 4,580 keys/s, 576.4 KB"));
        assertThat(m).containsExactly(entry("copied keys", 20500L), entry("skipped: unchanged keys", 0L),
                entry("skipped: filtered keys", 32050L), entry("failed keys", 0L), entry("bytes", 590234L));
    }

    @Test
    void anSqlMigrateTableGivesColumnTotalsWithoutRates() {
        Map<String, Long> m = Measures.of(List.of(
                "run 1, window [2000-01-01T00:00, 2024-01-01T00:00), 2.1s",
                "step       read  inserted  updated  deleted  errors  rows/s",
                "-----------------------------------------------------------",
                "users       200       200        0        0       0     310",
                "coins       400       400        0        0       0    1114",
                "purchases   601       600        0        0       1     699",
                "1 row(s) recorded as errors and skipped; first ones:"));
        assertThat(m).containsExactly(entry("read", 1201L), entry("inserted", 1200L), entry("updated", 0L),
                entry("deleted", 0L), entry("errors", 1L));
    }

    @Test
    void phrasesGiveCountsAndTheLaterFigureWins() {
        Map<String, Long> m = Measures.of(List.of(
                "live: initial copy: 2301 keys in 1.1s; 0 keys changed meanwhile",
                "live: pending 0, oldest 0ms, 12 events/s",
                "1,500 source keys and 1,499 target keys checked (values by dump)",
                "5 differences: missing 2, extra 1, value 1, ttl 1",
                "exported 12,000 rows (3.5 MB), 0 errors"));
        assertThat(m).containsOnly(entry("keys", 0L), entry("source keys", 1500L), entry("target keys", 1499L),
                entry("differences", 5L), entry("rows", 12000L), entry("bytes", 3670016L), entry("errors", 0L));
    }

    @Test
    void outputWithoutSizesGivesNothing() {
        assertThat(Measures.of(List.of("stopped", "lag 0ms (max 1000ms)", "3 client(s) left: job-01", "step 2 of 4"))).isEmpty();
        assertThat(Measures.of(List.of())).isEmpty();
    }
}
