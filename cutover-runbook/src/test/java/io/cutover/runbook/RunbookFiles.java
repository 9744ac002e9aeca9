package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.plan.RunbookLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes runbook files for tests and loads them with a fixed environment. */
public final class RunbookFiles {
    private RunbookFiles() {
    }

    public static final String WINDOW = "window: {start: \"2026-12-06T22:00:00+09:00\", end: \"2026-12-07T02:00:00+09:00\"}\n";

    /**
     * A window around the time the test runs (from ten minutes ago for six hours, UTC), for tests whose forecast
     * must fit whenever they run.
     */
    public static String windowAroundNow() {
        java.time.OffsetDateTime start = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusMinutes(10);
        return "window: {start: \"" + start + "\", end: \"" + start.plusHours(6) + "\"}\n";
    }

    public static Path write(Path dir, String name, String yaml) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    public static Runbook load(Path file) {
        return new RunbookLoader(Map.of("OLD_HOST", "10.0.0.7")::get, Map.of()).load(file);
    }
}
