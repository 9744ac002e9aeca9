package io.cutover.core.error;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {
    @Test
    void masksPasswordsInUrisAndSettings() {
        assertThat(Secrets.redact("cannot reach redis://app:hunter2@h:6379/0")).isEqualTo("cannot reach redis://app:***@h:6379/0");
        assertThat(Secrets.redact("redis://:hunter2@h")).isEqualTo("redis://:***@h");
        assertThat(Secrets.redact("jdbc:postgresql://h/db?user=u&password=hunter2")).isEqualTo("jdbc:postgresql://h/db?user=u&password=***");
        assertThat(Secrets.redact("auth failed for hunter2", "hunter2")).isEqualTo("auth failed for ***");
        assertThat(Secrets.redact("redis://h:6379")).isEqualTo("redis://h:6379");
    }
}
