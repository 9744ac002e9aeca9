package io.cutover.core.time;

import io.cutover.core.error.CutoverException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {
    @Test
    void parsesHumanDurations() {
        assertThat(Durations.parse("500ms", "x")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s", "x")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("1h30m", "x")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2d", "x")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("1.5s", "x")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("PT6H", "x")).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void rejectsGarbageNamingTheOption() {
        assertThatThrownBy(() -> Durations.parse("ten seconds", "--timeout")).isInstanceOf(CutoverException.class)
                .hasMessage("--timeout: not a duration: 'ten seconds' (use e.g. 500ms, 30s, 10m, 6h, 2d)");
        assertThatThrownBy(() -> Durations.parse("10", "--fit")).hasMessageStartingWith("--fit: not a duration");
    }

    @Test
    void formatsShortly() {
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Durations.format(Duration.ofMillis(12_300))).isEqualTo("12.3s");
        assertThat(Durations.format(Duration.ofSeconds(245))).isEqualTo("4m05s");
        assertThat(Durations.format(Duration.ofMinutes(130))).isEqualTo("2h10m");
    }
}
