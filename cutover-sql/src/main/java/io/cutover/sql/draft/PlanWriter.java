package io.cutover.sql.draft;

import io.cutover.sql.draft.DraftStep.Mapping;
import io.cutover.sql.draft.DraftStep.RefMapping;
import io.cutover.sql.plan.Endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Writes a {@link Draft} as a plan file: YAML with a comment wherever the user should look. */
final class PlanWriter {
    private static final int WIDTH = 118;
    private static final Set<String> YAML_WORDS = Set.of("null", "true", "false", "yes", "no", "on", "off", "y", "n", "~");
    private final Draft draft;
    private final StringBuilder out = new StringBuilder();

    PlanWriter(Draft draft) {
        this.draft = draft;
    }

    String write() {
        comment("", "A plan drafted by `cutover sql draft` from the catalogs of its source (" + draft.sourceTables()
                + " tables) and target (" + draft.targetTables() + " tables).");
        comment("", "Tables and columns are matched by name (ignoring case and snake_case/camelCase), keys come from primary keys, "
                + "refs from foreign keys, 'changed' from time columns named like created_at, updated_at, last_update, modified.");
        comment("", "Read every TODO (" + draft.todos() + " in all) and note, then run: cutover sql check --plan <this file>");
        for (Remark r : draft.remarks()) {
            remark("", r);
        }
        endpoint("source", draft.source(), "CUTOVER_SOURCE_PASSWORD");
        endpoint("target", draft.target(), "CUTOVER_TARGET_PASSWORD");
        out.append("# deletions: {table: deleted_records, table_column: table_name, key_column: record_id, time_column: deleted_at}"
                + "  # where the source records physical deletes, if it does\n");
        out.append("steps:\n");
        for (DraftStep s : draft.steps()) {
            step(s);
        }
        return out.toString();
    }

    private void endpoint(String side, Endpoint e, String passwordVariable) {
        String url = withoutPassword(e.url());
        if (!url.equals(e.url())) {
            comment("", "the password in the " + side + " URL is not written here: set " + passwordVariable + " instead");
        }
        out.append(side).append(": {url: ").append(quoted(url));
        if (e.user() != null && !e.user().isBlank()) {
            out.append(", user: ").append(scalar(e.user()));
        }
        out.append(", password: \"${").append(passwordVariable).append(":-}\"}\n");
    }

    /** The URL without a {@code password=} parameter: a plan file must not hold a password. */
    static String withoutPassword(String url) {
        String s = url.replaceAll("(?i)(?<=[?&;])password=[^&;]*[&;]?", "").replaceAll("[?&;]$", "");
        return s.replaceAll("(//[^:/@?;]*):[^@/?;]*@", "$1@");
    }

    private void step(DraftStep s) {
        out.append('\n');
        List<String> lines = new ArrayList<>();
        lines.add("- name: " + scalar(s.name()));
        lines.add("  from: " + scalar(s.from()));
        lines.add("  key: " + keys(s.key()));
        lines.add("  changed: [" + s.changed().stream().map(PlanWriter::scalar).collect(Collectors.joining(", ")) + "]");
        lines.add("  into: " + scalar(s.into()));
        lines.add("  target_key: " + keys(s.targetKey()));
        if (!s.columns().isEmpty()) {
            lines.add("  columns:");
            for (Mapping m : s.columns()) {
                lines.add("    " + scalar(m.target()) + ": " + scalar(m.source()) + inline(m.remark()));
            }
        }
        if (!s.refs().isEmpty()) {
            lines.add(s.refs().stream().anyMatch(RefMapping::active) ? "  refs:" : "  # refs:");
            for (RefMapping r : s.refs()) {
                lines.add("    " + (r.active() ? "" : "# ") + scalar(r.target()) + ": {from: " + scalar(r.from()) + ", step: "
                        + scalar(r.step()) + "}" + inline(r.remark()));
            }
        }
        if (!s.unmapped().isEmpty()) {
            lines.add("  # not mapped (target column: source column):");
            for (Mapping m : s.unmapped()) {
                lines.add("  #   " + scalar(m.target()) + ": " + (m.source() == null ? "?" : scalar(m.source())) + inline(m.remark()));
            }
        }
        for (Remark r : s.remarks()) {
            remark("  ", r);
        }
        if (!s.active()) {
            comment("  ", "the step below is commented out until the TODOs above are done");
        }
        for (String line : lines) {
            out.append("  ").append(s.active() ? "" : "# ").append(line).append('\n');
        }
    }

    private static String keys(List<String> keys) {
        if (keys.isEmpty()) {
            return "TODO";
        }
        return keys.size() == 1 ? scalar(keys.get(0))
                : "[" + keys.stream().map(PlanWriter::scalar).collect(Collectors.joining(", ")) + "]";
    }

    private static String inline(Remark r) {
        return r == null ? "" : "  # " + (r.todo() ? "TODO: " : "") + r.text();
    }

    private void remark(String indent, Remark r) {
        comment(indent, (r.todo() ? "TODO: " : "") + r.text());
    }

    /** A comment, wrapped at about {@value #WIDTH} characters. */
    private void comment(String indent, String text) {
        String prefix = indent + "# ";
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() > prefix.length() && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder(indent + "#   ");
            }
            if (line.length() > prefix.length() && !line.toString().endsWith("#   ")) {
                line.append(' ');
            }
            line.append(word);
        }
        out.append(line).append('\n');
    }

    /** A YAML scalar: plain when YAML reads it back as the same string, else single-quoted. */
    static String scalar(String s) {
        if (s.matches("[A-Za-z_][A-Za-z0-9_.]*") && !YAML_WORDS.contains(s.toLowerCase(Locale.ROOT))) {
            return s;
        }
        return quoted(s);
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
