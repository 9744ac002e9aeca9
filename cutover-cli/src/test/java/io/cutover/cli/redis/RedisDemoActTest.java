package io.cutover.cli.redis;

import org.junit.jupiter.api.Test;

import static io.cutover.cli.redis.InventoryCliSupport.cutover;
import static org.assertj.core.api.Assertions.assertThat;

class RedisDemoActTest {

    @Test
    void runsEveryStepAndEndsClean() {
        InventoryCliSupport.Run run = cutover("demo", "--act", "redis");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("=== act: redis ===")
                .contains("--- 1. cutover redis inventory").contains("selected: keep session:* → 1800 keys")
                .contains("--- 2. cutover redis copy").contains("copied 1800 keys")
                .contains("--- 3. cutover redis verify").contains("identical").contains("exit 0")
                .contains("--- 4. cutover redis clients").contains("legacy-batch").contains("drained: no other client connected")
                .contains("redis act: sessions moved, verified identical, old instance drained");
    }
}
