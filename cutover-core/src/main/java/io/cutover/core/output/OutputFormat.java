package io.cutover.core.output;

import io.cutover.core.error.CutoverException;

/** How a command prints its result: a table for people, JSON for scripts. */
public enum OutputFormat {
    TABLE, JSON;

    /** Parses {@code table} or {@code json}, case-insensitively. */
    public static OutputFormat parse(String s) {
        for (OutputFormat f : values()) {
            if (f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw CutoverException.usage("--format: expected table or json, got '" + s + "'");
    }
}
