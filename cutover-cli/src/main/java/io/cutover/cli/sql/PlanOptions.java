package io.cutover.cli.sql;

import io.cutover.core.config.EnvSubstitution;
import io.cutover.core.output.OutputFormat;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.plan.PlanLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

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
     * The plan file's text once it is known to load, for another process to run with its own environment: each
     * {@code ${VAR}} read as its default, or as the word VAR where it has none. Connects to nothing.
     */
    String planText() {
        format();
        String text = PlanLoader.read(plan);
        Set<String> required = EnvSubstitution.references(text).stream().filter(v -> !v.hasDefault())
                .map(EnvSubstitution.Reference::name).collect(Collectors.toSet());
        new PlanLoader(new EnvSubstitution(name -> required.contains(name) ? name : null)).parse(text, plan.toString());
        return text;
    }

    /** Loads the plan (usage errors name file:line:col) and opens a migration on it. */
    SqlMigration open(int poolSize) {
        format();
        return new SqlMigration(PlanLoader.fromSystem().load(plan), poolSize);
    }
}
