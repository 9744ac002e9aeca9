package io.cutover.core.config;

import io.cutover.core.error.CutoverException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} with values from the environment.
 * A variable without default that is not set is a configuration error naming the variable and line.
 * {@code $${X}} stays as the literal {@code ${X}}.
 */
public final class EnvSubstitution {
    private static final Pattern REF = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Function<String, String> env;

    public EnvSubstitution(Function<String, String> env) {
        this.env = env;
    }

    /** Substitution from the process environment. */
    public static EnvSubstitution fromSystem() {
        return new EnvSubstitution(System::getenv);
    }

    /**
     * A variable {@link #apply} reads from the environment.
     *
     * @param name       the variable
     * @param hasDefault whether every reference to it gives a default ({@code ${NAME:-default}}), so it may be unset
     */
    public record Reference(String name, boolean hasDefault) {
    }

    /** The variables {@code text} refers to, each once, in the order they first appear ({@code $${X}} is none). */
    public static List<Reference> references(String text) {
        Map<String, Boolean> defaulted = new LinkedHashMap<>();
        Matcher m = REF.matcher(text);
        while (m.find()) {
            if (!m.group().startsWith("$$")) {
                defaulted.merge(m.group(1), m.group(2) != null, Boolean::logicalAnd);
            }
        }
        List<Reference> out = new ArrayList<>();
        defaulted.forEach((name, hasDefault) -> out.add(new Reference(name, hasDefault)));
        return out;
    }

    /** Returns {@code text} with every reference replaced; {@code source} names the text in errors. */
    public String apply(String text, String source) {
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().startsWith("$$")) {
                replacement = m.group().substring(1);
            } else {
                String value = env.apply(m.group(1));
                if (value == null || (value.isEmpty() && m.group(2) != null)) {
                    if (m.group(2) == null) {
                        throw CutoverException.usage(source + ":" + lineOf(text, m.start()) + ": environment variable "
                                + m.group(1) + " is not set (use ${" + m.group(1) + ":-default} for a default)");
                    }
                    value = m.group(3);
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
