package io.cutover.cli.sql;

import io.cutover.core.config.EnvSubstitution;
import io.cutover.core.error.CutoverException;
import io.cutover.core.output.OutputFormat;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.plan.PlanLoader;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Options every {@code cutover sql} command shares: the plan file and the output format. */
public final class PlanOptions {
    @Option(names = "--plan", required = true, paramLabel = "FILE", description = "The migration plan (YAML).")
    Path plan;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table (default) or json.")
    String format;

    OutputFormat format() {
        return OutputFormat.parse(format);
    }

    boolean json() {
        return format() == OutputFormat.JSON;
    }

    /**
     * The plan file's text once it is known to load, its {@code ${VAR}}s read as empty (or their defaults): for
     * another process to run with its own environment. Reads nothing else and connects to nothing.
     */
    String planText() {
        format();
        new PlanLoader(new EnvSubstitution(name -> "")).load(plan);
        try {
            return Files.readString(plan);
        } catch (IOException e) {
            throw CutoverException.usage(plan + ": cannot read the plan (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Loads the plan (usage errors name file:line:col) and opens a migration on it. */
    SqlMigration open(int poolSize) {
        format();
        return new SqlMigration(PlanLoader.fromSystem().load(plan), poolSize);
    }
}
