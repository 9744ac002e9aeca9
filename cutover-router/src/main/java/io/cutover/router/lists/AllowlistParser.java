package io.cutover.router.lists;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a list: one id a line, {@code #} starts a comment, blank lines ignored. Any other line makes the
 * whole list malformed (an HTML error page served with 200 must not become an empty or garbage list).
 */
public final class AllowlistParser {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private AllowlistParser() {
    }

    /** The ids in {@code text}; throws {@link MalformedListException} naming the first bad line. */
    public static Set<String> parse(String text) {
        Set<String> ids = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!ID.matcher(line).matches()) {
                String shown = line.length() > 40 ? line.substring(0, 40) + "..." : line;
                throw new MalformedListException("line " + (i + 1) + ": not an id: '" + shown + "'");
            }
            ids.add(line);
        }
        return Set.copyOf(ids);
    }

    /** A list whose text is not one id a line. */
    public static final class MalformedListException extends RuntimeException {
        public MalformedListException(String message) {
            super(message);
        }
    }
}
