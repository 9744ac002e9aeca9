package io.cutover.sql.db;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An array value (a PostgreSQL array, or a MySQL {@code SET} on its way into one) as its elements' text: written as
 * an array literal with every element quoted, compared element by element, so {@code {a,"b c"}} and {@code {a,b c}}
 * are the same array.
 */
public record ArrayValue(List<String> elements) {
    public ArrayValue {
        elements = Collections.unmodifiableList(new ArrayList<>(elements));
    }

    /** The elements of a JDBC array (nested arrays are not supported and keep their text). */
    public static ArrayValue of(Object[] values) {
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add(v == null ? null : v instanceof Object[] nested ? of(nested).literal() : Values.key(v));
        }
        return new ArrayValue(out);
    }

    /**
     * Parses an array's text: a PostgreSQL literal ({@code {a,"b c",NULL}}) or, when it has no braces, a MySQL
     * {@code SET} value ({@code a,b c}; the empty string is the empty set).
     */
    public static ArrayValue parse(String text) {
        String s = text.trim();
        if (!s.startsWith("{")) {
            return new ArrayValue(s.isEmpty() ? List.of() : Arrays.asList(s.split(",", -1)));
        }
        if (!s.endsWith("}")) {
            throw new IllegalArgumentException("not an array literal");
        }
        List<String> out = new ArrayList<>();
        String body = s.substring(1, s.length() - 1);
        if (body.isBlank()) {
            return new ArrayValue(out);
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (quoted) {
                if (ch == '\\' && i + 1 < body.length()) {
                    cur.append(body.charAt(++i));
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (ch == ',') {
                out.add(element(cur.toString(), wasQuoted));
                cur.setLength(0);
                wasQuoted = false;
            } else {
                cur.append(ch);
            }
        }
        out.add(element(cur.toString(), wasQuoted));
        return new ArrayValue(out);
    }

    private static String element(String text, boolean quoted) {
        if (quoted) {
            return text;
        }
        String t = text.trim();
        return t.equalsIgnoreCase("NULL") ? null : t;
    }

    /** The PostgreSQL literal, every element quoted: {@code {"a","b c",NULL}}. */
    public String literal() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String e = elements.get(i);
            if (e == null) {
                sb.append("NULL");
            } else {
                sb.append('"').append(e.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.append('}').toString();
    }

    @Override
    public String toString() {
        return literal();
    }
}
