package io.cutover.redis.select;

import io.cutover.core.error.CutoverException;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A Redis glob ({@code *}, {@code ?}, {@code [abc]}, {@code [^a]}, {@code [a-z]}, {@code \x}) as SCAN MATCH and
 * KEYS understand it, matched on the key's bytes read as ISO-8859-1 so binary keys match byte for byte.
 */
public final class KeyGlob {
    private final String glob;
    private final Pattern pattern;

    private KeyGlob(String glob, Pattern pattern) {
        this.glob = glob;
        this.pattern = pattern;
    }

    /** Compiles {@code glob}; an unclosed {@code [} or trailing {@code \} is a usage error. */
    public static KeyGlob compile(String glob) {
        if (glob == null || glob.isEmpty()) {
            throw CutoverException.usage("empty glob");
        }
        String bytes = new String(glob.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < bytes.length(); i++) {
            char c = bytes.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '\\' -> {
                    if (i + 1 >= bytes.length()) {
                        throw CutoverException.usage("bad glob '" + glob + "': trailing backslash");
                    }
                    re.append(Pattern.quote(String.valueOf(bytes.charAt(++i))));
                }
                case '[' -> {
                    int end = i + 1;
                    if (end < bytes.length() && bytes.charAt(end) == '^') {
                        end++;
                    }
                    if (end < bytes.length() && bytes.charAt(end) == ']') {
                        end++;
                    }
                    while (end < bytes.length() && bytes.charAt(end) != ']') {
                        if (bytes.charAt(end) == '\\') {
                            end++;
                        }
                        end++;
                    }
                    if (end >= bytes.length()) {
                        throw CutoverException.usage("bad glob '" + glob + "': unclosed '['");
                    }
                    re.append('[');
                    int j = i + 1;
                    if (bytes.charAt(j) == '^') {
                        re.append('^');
                        j++;
                    }
                    for (; j < end; j++) {
                        char d = bytes.charAt(j);
                        if (d == '\\' && j + 1 < end) {
                            d = bytes.charAt(++j);
                            re.append('\\').append(d);
                        } else if (d == '-' ) {
                            re.append('-');
                        } else if (Character.isLetterOrDigit(d)) {
                            re.append(d);
                        } else {
                            re.append('\\').append(d);
                        }
                    }
                    re.append(']');
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return new KeyGlob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
        } catch (RuntimeException e) {
            throw CutoverException.usage("bad glob '" + glob + "': " + e.getMessage().split("\n")[0]);
        }
    }

    /** Whether the key (raw bytes) matches. */
    public boolean matches(byte[] key) {
        return pattern.matcher(new String(key, StandardCharsets.ISO_8859_1)).matches();
    }

    /** Whether the key (text) matches. */
    public boolean matches(String key) {
        return matches(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The glob as given; usable as a SCAN MATCH pattern. */
    public String glob() {
        return glob;
    }

    @Override
    public String toString() {
        return glob;
    }
}
