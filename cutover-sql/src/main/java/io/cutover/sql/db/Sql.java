package io.cutover.sql.db;

import java.util.Collections;

/** Small SQL text helpers. */
public final class Sql {
    private Sql() {
    }

    /** {@code n} comma-separated placeholders. */
    public static String marks(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }

    /** {@code rows} parenthesised groups of {@code cols} placeholders, for multi-row VALUES. */
    public static String rows(int rows, int cols) {
        String one = "(" + marks(cols) + ")";
        return String.join(",", Collections.nCopies(rows, one));
    }
}
