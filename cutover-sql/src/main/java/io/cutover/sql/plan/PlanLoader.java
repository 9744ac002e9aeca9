package io.cutover.sql.plan;

import io.cutover.core.config.ConfigLoader;
import io.cutover.core.config.EnvSubstitution;
import io.cutover.core.error.CutoverException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plan file: YAML with {@code ${VAR}} / {@code ${VAR:-default}} from the environment, then checks that
 * it is complete and that its steps form no cycle. Every problem is one line, {@code file:line:col: message}.
 */
public final class PlanLoader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_NAME = 40;
    private final ConfigLoader loader;

    public PlanLoader(EnvSubstitution env) {
        this.loader = new ConfigLoader(env);
    }

    public static PlanLoader fromSystem() {
        return new PlanLoader(EnvSubstitution.fromSystem());
    }

    /** Loads and validates {@code file}. */
    public Plan load(Path file) {
        return parse(read(file), file.toString());
    }

    /** The text of a plan file (UTF-8), as {@link #load} reads it. */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw CutoverException.usage(file + ": cannot read the plan (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Parses and validates plan text; {@code source} names it in errors. */
    public Plan parse(String text, String source) {
        Plan plan = loader.parse(text, source, Plan.class);
        new Validation(text, source).check(plan);
        return plan;
    }

    private record Validation(String text, String source) {
        void check(Plan plan) {
            if (plan.source() == null || blank(plan.source().url())) {
                fail("source", "the plan needs 'source: {url: jdbc:…}'");
            }
            if (plan.target() == null || blank(plan.target().url())) {
                fail("target", "the plan needs 'target: {url: jdbc:…}'");
            }
            DeletionLog d = plan.deletions();
            if (d != null && (blank(d.table()) || blank(d.tableColumn()) || blank(d.keyColumn()) || blank(d.timeColumn()))) {
                fail("deletions", "deletions needs table, table_column, key_column and time_column");
            }
            if (plan.timeZone() != null) {
                try {
                    plan.zone();
                } catch (java.time.DateTimeException e) {
                    fail("time_zone", "time_zone: unknown zone '" + plan.timeZone() + "' (use e.g. UTC, +09:00 or Europe/Paris)");
                }
            }
            if (plan.steps().isEmpty()) {
                fail("steps", "the plan has no steps");
            }
            Set<String> names = new HashSet<>();
            Set<String> folded = new HashSet<>(); // log tables are named after steps, and table names ignore case
            for (Step s : plan.steps()) {
                if (blank(s.name())) {
                    fail("steps", "every step needs a name");
                }
                String at = "name: " + s.name();
                if (!NAME.matcher(s.name()).matches()) {
                    fail(at, "step name '" + s.name() + "' must be letters, digits and _");
                }
                if (s.name().length() > MAX_NAME) {
                    // it names the step's log table, cutover_log_<step>, and that table's index
                    fail(at, "step name '" + s.name() + "' is longer than " + MAX_NAME + " characters");
                }
                if (!folded.add(s.name().toLowerCase(java.util.Locale.ROOT)) || !names.add(s.name())) {
                    fail(at, "step '" + s.name() + "' is defined twice (step names ignore case)");
                }
                if ((s.from() == null) == (s.query() == null)) {
                    fail(at, "step '" + s.name() + "' needs exactly one of 'from' (a table) or 'query'");
                }
                if (s.keyColumns().isEmpty() || s.keyColumns().stream().anyMatch(Validation::blank)) {
                    fail(at, "step '" + s.name() + "' needs 'key' (the source key column, or [a, b] for a composite key)");
                }
                if (s.changed().isEmpty()) {
                    fail(at, "step '" + s.name() + "' needs 'changed' (the time columns that place a row in a window)");
                }
                if (blank(s.into()) || s.targetKeyColumns().isEmpty() || s.targetKeyColumns().stream().anyMatch(Validation::blank)) {
                    fail(at, "step '" + s.name() + "' needs 'into' (target table) and 'target_key'");
                }
                if (s.compositeTargetKey() && !s.suppliesTargetKey()) {
                    fail(at, "step '" + s.name() + "': the composite target_key [" + String.join(", ", s.targetKeyColumns())
                            + "] must be written by the plan (in columns, or a ref's 'into'): a target generates one column only");
                }
                if (s.columns().isEmpty() && s.refs().isEmpty()) {
                    fail(at, "step '" + s.name() + "' maps no columns");
                }
                for (var r : s.refs().entrySet()) {
                    if (r.getValue() == null || r.getValue().from().isEmpty() || r.getValue().from().stream().anyMatch(Validation::blank)
                            || blank(r.getValue().step())) {
                        fail(at, "step '" + s.name() + "': ref '" + r.getKey() + "' needs 'from' and 'step'");
                    }
                    Ref ref = r.getValue();
                    if (!ref.into().isEmpty() && ref.into().size() != ref.from().size()) {
                        fail(at, "step '" + s.name() + "': ref '" + r.getKey() + "' has " + ref.from().size() + " 'from' column(s) but "
                                + ref.into().size() + " 'into' column(s); give one target column per source column");
                    }
                    if (ref.into().isEmpty() && ref.from().size() > 1) {
                        fail(at, "step '" + s.name() + "': ref '" + r.getKey() + "' reads a composite key [" + String.join(", ", ref.from())
                                + "]: name its target columns with 'into: [x, y]'");
                    }
                    if (s.columns().containsKey(r.getKey())) {
                        fail(at, "step '" + s.name() + "': column '" + r.getKey() + "' is both in columns and refs");
                    }
                }
                if (s.hide() != null && (blank(s.hide().column()) || s.hide().value() == null)) {
                    fail(at, "step '" + s.name() + "': hide needs 'column' and 'value'");
                }
                if (s.hide() != null && s.hide().revealValue() == null) {
                    fail(at, "step '" + s.name() + "': hide needs 'reveal' (the visible value) for value '" + s.hide().value() + "'");
                }
            }
            for (Step s : plan.steps()) {
                for (String dep : s.dependencies()) {
                    if (!names.contains(dep)) {
                        fail("name: " + s.name(), "step '" + s.name() + "' refers to unknown step '" + dep + "'");
                    }
                }
            }
            try {
                StepOrder.of(plan);
            } catch (CutoverException e) {
                throw CutoverException.usage(source + ": " + e.getMessage());
            }
        }

        private void fail(String near, String message) {
            throw CutoverException.usage(locate(near) + ": " + message);
        }

        /** file:line:col of the first line containing {@code near}, or just the file. */
        private String locate(String near) {
            String[] lines = text.split("\n", -1);
            Pattern p = Pattern.compile("(^|[\\s{,-])" + Pattern.quote(near.split(":")[0]) + "\\s*:"
                    + (near.contains(":") ? "\\s*[\"']?" + Pattern.quote(near.substring(near.indexOf(':') + 1).trim()) + "\\b" : ""));
            for (int i = 0; i < lines.length; i++) {
                Matcher m = p.matcher(lines[i]);
                if (m.find()) {
                    return source + ":" + (i + 1) + ":" + (m.start() + m.group(1).length() + 1);
                }
            }
            return source;
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }
}
