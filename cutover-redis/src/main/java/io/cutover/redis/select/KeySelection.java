package io.cutover.redis.select;

import java.util.List;
import java.util.Optional;

/**
 * Which keys a command works on: a key is selected when it matches any include (or there are none)
 * and no exclude.
 */
public record KeySelection(List<KeyGlob> includes, List<KeyGlob> excludes) {

    public KeySelection {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
    }

    /** Every key. */
    public static KeySelection all() {
        return new KeySelection(List.of(), List.of());
    }

    /** Compiles include and exclude globs (null lists mean none). */
    public static KeySelection of(List<String> includes, List<String> excludes) {
        return new KeySelection(
                includes == null ? List.of() : includes.stream().map(KeyGlob::compile).toList(),
                excludes == null ? List.of() : excludes.stream().map(KeyGlob::compile).toList());
    }

    public boolean matches(byte[] key) {
        if (!includes.isEmpty() && includes.stream().noneMatch(g -> g.matches(key))) {
            return false;
        }
        return excludes.stream().noneMatch(g -> g.matches(key));
    }

    /** True when every key is selected. */
    public boolean isAll() {
        return includes.isEmpty() && excludes.isEmpty();
    }

    /** A SCAN MATCH pattern that filters on the server, when exactly one include is given. */
    public Optional<String> scanMatch() {
        return includes.size() == 1 ? Optional.of(includes.get(0).glob()) : Optional.empty();
    }

    @Override
    public String toString() {
        if (isAll()) {
            return "all keys";
        }
        StringBuilder sb = new StringBuilder();
        if (!includes.isEmpty()) {
            sb.append("keep ").append(String.join(" ", includes.stream().map(KeyGlob::glob).toList()));
        }
        if (!excludes.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : ", ").append("drop ").append(String.join(" ", excludes.stream().map(KeyGlob::glob).toList()));
        }
        return sb.toString();
    }
}
