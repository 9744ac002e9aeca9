package io.cutover.redis.prune;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.select.KeyGlob;

import java.util.List;

/**
 * Which keys a prune deletes: with {@code keep}, every key matching none of the globs; otherwise every key matching
 * one of them.
 *
 * @param keep  true for {@code --keep} (delete everything else), false for {@code --delete}
 * @param globs the globs given
 */
public record PruneRule(boolean keep, List<KeyGlob> globs) {
    public PruneRule {
        globs = List.copyOf(globs);
        if (globs.isEmpty()) {
            throw CutoverException.usage("prune: give --keep GLOB... or --delete GLOB...");
        }
    }

    /** From {@code --keep} and {@code --delete}; exactly one of the two must be given. */
    public static PruneRule of(List<String> keep, List<String> delete) {
        boolean hasKeep = keep != null && !keep.isEmpty();
        boolean hasDelete = delete != null && !delete.isEmpty();
        if (hasKeep == hasDelete) {
            throw CutoverException.usage("prune: give exactly one of --keep GLOB... or --delete GLOB...");
        }
        return new PruneRule(hasKeep, (hasKeep ? keep : delete).stream().map(KeyGlob::compile).toList());
    }

    /** Keep only keys matching {@code globs}. */
    public static PruneRule keep(String... globs) {
        return of(List.of(globs), null);
    }

    /** Delete keys matching {@code globs}. */
    public static PruneRule delete(String... globs) {
        return of(null, List.of(globs));
    }

    /** Whether the prune deletes this key. */
    public boolean deletes(byte[] key) {
        boolean matches = false;
        for (KeyGlob g : globs) {
            if (g.matches(key)) {
                matches = true;
                break;
            }
        }
        return keep != matches;
    }

    @Override
    public String toString() {
        String list = String.join(" ", globs.stream().map(KeyGlob::glob).toList());
        return keep ? "keep " + list + ", delete every other key" : "delete " + list;
    }
}
