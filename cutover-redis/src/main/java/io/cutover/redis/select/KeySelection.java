package io.cutover.redis.select;

import java.util.List;
import java.util.Optional;

/**
 * Which keys a command works on: a key is selected when it matches any include (or there are none)
 * and no exclude, and its hash slot is in {@code slots} (every slot, unless the job is split among workers).
 */
public record KeySelection(List<KeyGlob> includes, List<KeyGlob> excludes, SlotRanges slots) {

    public KeySelection {
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        java.util.Objects.requireNonNull(slots, "slots");
    }

    /** Includes and excludes over every slot. */
    public KeySelection(List<KeyGlob> includes, List<KeyGlob> excludes) {
        this(includes, excludes, SlotRanges.all());
    }

    /** The same globs, narrowed to the keys whose hash slot is in {@code share} (one worker's share). */
    public KeySelection withinSlots(SlotRanges share) {
        return new KeySelection(includes, excludes, share);
    }

    /** Whether the key's slot is this selection's (keys of other slots are another worker's, not filtered out). */
    public boolean inSlots(byte[] key) {
        return slots.containsKey(key);
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
        return inSlots(key) && matchesGlobs(key);
    }

    /** Whether the key passes the includes and excludes, whatever its slot (for a caller that checked the slot). */
    public boolean matchesGlobs(byte[] key) {
        if (!includes.isEmpty() && includes.stream().noneMatch(g -> g.matches(key))) {
            return false;
        }
        return excludes.stream().noneMatch(g -> g.matches(key));
    }

    /** True when every key is selected. */
    public boolean isAll() {
        return includes.isEmpty() && excludes.isEmpty() && slots.isAll();
    }

    /** A SCAN MATCH pattern that filters on the server, when exactly one include is given. */
    public Optional<String> scanMatch() {
        return includes.size() == 1 ? Optional.of(includes.get(0).glob()) : Optional.empty();
    }

    /** The globs as {@link #globs()} says them, then the slots when they are not all of them. */
    @Override
    public String toString() {
        return slots.isAll() ? globs() : globs() + ", slots " + slots;
    }

    /** "all keys", or "keep a* b*, drop c*". */
    public String globs() {
        if (includes.isEmpty() && excludes.isEmpty()) {
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
