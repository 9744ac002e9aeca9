package io.cutover.sql.verify;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;

/**
 * What verify checks: rows changed in {@code [since, until)} (both null: every row), a subset like migrate's
 * {@code --only}, and {@code sample} rows per step (0: every row).
 */
public record VerifyRequest(LocalDateTime since, LocalDateTime until, Map<String, Set<String>> only, int sample) {
    public VerifyRequest {
        only = only == null ? Map.of() : Map.copyOf(only);
    }

    public static VerifyRequest all() {
        return new VerifyRequest(null, null, Map.of(), 0);
    }
}
