package io.cutover.sql;

import io.cutover.core.progress.Progress;
import io.cutover.sql.migrate.MigrateRequest;
import io.cutover.sql.plan.PlanLoader;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;

/** Runs one migrate window in its own JVM, so a test can kill it part way (args: plan since until batch). */
public final class MigrateProcess {
    public static void main(String[] args) {
        try (SqlMigration m = new SqlMigration(PlanLoader.fromSystem().load(Path.of(args[0])))) {
            m.migrate(new MigrateRequest(LocalDateTime.parse(args[1]), LocalDateTime.parse(args[2]), false, Map.of(), 1,
                    Integer.parseInt(args[3]), false), Progress.silent());
        }
    }
}
