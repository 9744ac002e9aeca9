package io.cutover.core.error;

import java.util.regex.Pattern;

/** Removes credentials from text before it is printed or logged. */
public final class Secrets {
    // scheme://user:password@host  ->  scheme://user:***@host
    private static final Pattern URI_PASSWORD = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^:/@\\s]*:)[^@/\\s]+(@)");
    // password=secret (JDBC query strings, key=value settings)
    private static final Pattern KV_PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]+");

    private Secrets() {
    }

    /** Masks passwords in URIs and key=value pairs. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = URI_PASSWORD.matcher(text).replaceAll("$1***$2");
        return KV_PASSWORD.matcher(out).replaceAll("$1***");
    }

    /** Masks a known secret wherever it appears, and passwords in URIs. */
    public static String redact(String text, String secret) {
        String out = redact(text);
        if (out != null && secret != null && !secret.isEmpty()) {
            out = out.replace(secret, "***");
        }
        return out;
    }
}
