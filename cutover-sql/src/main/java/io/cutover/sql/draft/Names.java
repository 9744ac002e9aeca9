package io.cutover.sql.draft;

import java.util.Locale;
import java.util.regex.Pattern;

/** How the draft compares and makes names: {@code InvoiceLine}, {@code invoice_line} and {@code INVOICELINE} are one name. */
final class Names {
    /** Change timestamps by name, folded: created_at, updatedAt, last_update, modified, LastModified, creation_date… */
    private static final Pattern CHANGE = Pattern.compile(
            "(last)?(created?|creation|updated?|modif(ied|y|ication)|changed?)(at|on|date|time|timestamp|datetime|ts)?");
    private static final Pattern CREATED = Pattern.compile("(created?|creation).*");

    private Names() {
    }

    /** The name compared across databases: lower case, letters and digits only. */
    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    /** {@code InvoiceLine}, {@code HTTPServer2} → {@code invoice_line}, {@code http_server2}: a step name. */
    static String snake(String name) {
        String s = name.replaceAll("([\\p{Ll}\\p{N}])(\\p{Lu})", "$1_$2")
                .replaceAll("(\\p{Lu})(\\p{Lu}\\p{Ll})", "$1_$2")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_")
                .replaceAll("_+", "_")
                .replaceAll("^_|_$", "");
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s = "t_" + s;
        }
        return s;
    }

    /** The one candidate for {@code name} among those of its folded name: the only one, or the one spelled alike but for case. */
    static <T> java.util.Optional<T> pick(java.util.List<T> candidates, String name, java.util.function.Function<T, String> nameOf) {
        if (candidates.size() == 1) {
            return java.util.Optional.of(candidates.get(0));
        }
        java.util.List<T> same = candidates.stream().filter(c -> nameOf.apply(c).equalsIgnoreCase(name)).toList();
        return same.size() == 1 ? java.util.Optional.of(same.get(0)) : java.util.Optional.empty();
    }

    /** Whether a column's name says it records when the row was created or changed. */
    static boolean isChangeTime(String column) {
        return CHANGE.matcher(fold(column)).matches();
    }

    /** Whether a change-time column records only the creation (so later updates do not move it). */
    static boolean isCreation(String column) {
        return CREATED.matcher(fold(column).replaceFirst("^last", "")).matches();
    }
}
