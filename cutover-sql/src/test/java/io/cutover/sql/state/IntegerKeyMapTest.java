package io.cutover.sql.state;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IntegerKeyMapTest {

    @Test
    void findsEveryKeyItHoldsAndNothingElse() {
        IntegerKeyMap log = new IntegerKeyMap(10); // grows
        for (long k = 1; k <= 1000; k++) {
            log.put(k * 1024, -k); // keys that share their low bits
        }
        log.put(Long.MIN_VALUE, 7);
        log.put(Long.MAX_VALUE, 8);
        log.put(0, 9);
        log.put(1024, 10); // replaces
        assertThat(log.size()).isEqualTo(1003);
        assertThat(log.get("1024")).isEqualTo("10");
        assertThat(log.get("2048")).isEqualTo("-2");
        assertThat(log.get("1024000")).isEqualTo("-1000");
        assertThat(log.get(Long.toString(Long.MIN_VALUE))).isEqualTo("7");
        assertThat(log.get(Long.toString(Long.MAX_VALUE))).isEqualTo("8");
        assertThat(log.get("0")).isEqualTo("9");
        assertThat(log.get("1025")).isNull();
        assertThat(log.get("x1")).isNull();
        assertThat(log.get("1.0")).isNull();
        assertThat(log.get(1024L)).isNull(); // keys are texts
        assertThat(log.get("01024")).isNull(); // as a database prints it, or not at all
        assertThat(log.get("99999999999999999999")).isNull();
        assertThat(log.containsKey("3072")).isTrue();
        assertThat(log.entrySet()).hasSize(1003).contains(Map.entry("3072", "-3"), Map.entry(Long.toString(Long.MIN_VALUE), "7"));
    }

    @Test
    void takesOnlyIntegerTexts() {
        IntegerKeyMap map = new IntegerKeyMap(4);
        assertThat(map.putText("12", "-7")).isTrue();
        assertThat(map.putText("a", "1")).isFalse();
        assertThat(map.putText("1", "1.5")).isFalse();
        assertThat(map.putText("+1", "2")).isFalse();
        assertThat(map).containsExactly(Map.entry("12", "-7"));
    }
}
