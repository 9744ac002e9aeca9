package io.cutover.redis.select;

import io.cutover.core.error.CutoverException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each source database goes on the target ({@code --db-map SRC:DST[:prefix=P]}). Unmapped databases keep
 * their number. A prefix is put before every key so merged databases can't collide.
 */
public final class DbMapping {
    /** One rule: source db → target db, with an optional key prefix. */
    public record Rule(int sourceDb, int targetDb, String prefix) {
    }

    private final Map<Integer, Rule> rules;

    private DbMapping(Map<Integer, Rule> rules) {
        this.rules = rules;
    }

    /** Identity mapping. */
    public static DbMapping identity() {
        return new DbMapping(Map.of());
    }

    /** A mapping made of {@code rules} (one per source database). */
    public static DbMapping of(java.util.Collection<Rule> rules) {
        Map<Integer, Rule> m = new LinkedHashMap<>();
        for (Rule r : rules) {
            if (m.put(r.sourceDb(), r) != null) {
                throw CutoverException.usage("--db-map: database " + r.sourceDb() + " is mapped twice");
            }
        }
        return new DbMapping(Map.copyOf(m));
    }

    /** The rule for {@code sourceDb}, if one was given. */
    public java.util.Optional<Rule> rule(int sourceDb) {
        return java.util.Optional.ofNullable(rules.get(sourceDb));
    }

    /** Parses {@code --db-map} values such as {@code 3:0} or {@code 3:0:prefix=jobs:}. */
    public static DbMapping parse(List<String> specs) {
        Map<Integer, Rule> rules = new LinkedHashMap<>();
        if (specs != null) {
            for (String spec : specs) {
                Rule r = parseRule(spec);
                if (rules.put(r.sourceDb(), r) != null) {
                    throw CutoverException.usage("--db-map: database " + r.sourceDb() + " is mapped twice");
                }
            }
        }
        return new DbMapping(Map.copyOf(rules));
    }

    private static Rule parseRule(String spec) {
        String[] p = spec.split(":", 3);
        if (p.length < 2 || !p[0].matches("[0-9]{1,5}") || !p[1].matches("[0-9]{1,5}")) {
            throw CutoverException.usage("--db-map: expected SRC:DST[:prefix=P], got '" + spec + "'");
        }
        String prefix = "";
        if (p.length == 3) {
            if (!p[2].startsWith("prefix=") || p[2].length() == "prefix=".length()) {
                throw CutoverException.usage("--db-map: expected SRC:DST[:prefix=P], got '" + spec + "'");
            }
            prefix = p[2].substring("prefix=".length());
        }
        return new Rule(Integer.parseInt(p[0]), Integer.parseInt(p[1]), prefix);
    }

    /**
     * The mapping for {@code sourceDbs}: explicit rules first; a database named in the target URI
     * ({@code targetUriDb} ≥ 0) receives the single source database; otherwise a database keeps its number.
     */
    public DbMapping resolve(List<Integer> sourceDbs, int targetUriDb) {
        List<Rule> resolved = new ArrayList<>();
        for (int db : sourceDbs) {
            Rule rule = rules.get(db);
            if (rule != null) {
                resolved.add(rule);
            } else if (targetUriDb >= 0) {
                if (sourceDbs.size() > 1) {
                    throw CutoverException.usage("--target names database " + targetUriDb + " but the source has databases "
                            + sourceDbs + ": say where each goes with --db-map SRC:DST");
                }
                resolved.add(new Rule(db, targetUriDb, ""));
            } else {
                resolved.add(new Rule(db, db, ""));
            }
        }
        return of(resolved);
    }

    public int targetDb(int sourceDb) {
        Rule r = rules.get(sourceDb);
        return r == null ? sourceDb : r.targetDb();
    }

    public String prefix(int sourceDb) {
        Rule r = rules.get(sourceDb);
        return r == null ? "" : r.prefix();
    }

    /** The key as it is named on the target. */
    public byte[] targetKey(int sourceDb, byte[] key) {
        String prefix = prefix(sourceDb);
        if (prefix.isEmpty()) {
            return key;
        }
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[p.length + key.length];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(key, 0, out, p.length, key.length);
        return out;
    }

    /** The source key a target key came from, or null when the target key lacks the db's prefix. */
    public byte[] sourceKey(int sourceDb, byte[] targetKey) {
        byte[] p = prefix(sourceDb).getBytes(StandardCharsets.UTF_8);
        if (targetKey.length < p.length) {
            return null;
        }
        for (int i = 0; i < p.length; i++) {
            if (targetKey[i] != p[i]) {
                return null;
            }
        }
        byte[] out = new byte[targetKey.length - p.length];
        System.arraycopy(targetKey, p.length, out, 0, out.length);
        return out;
    }

    /** Source databases that land in {@code targetDb}, among {@code sourceDbs}. */
    public List<Integer> sourcesOf(int targetDb, Set<Integer> sourceDbs) {
        List<Integer> out = new ArrayList<>();
        for (int db : sourceDbs) {
            if (targetDb(db) == targetDb) {
                out.add(db);
            }
        }
        return out;
    }

    public Map<Integer, Rule> rules() {
        return rules;
    }

    public boolean isIdentity() {
        return rules.values().stream().allMatch(r -> r.sourceDb() == r.targetDb() && r.prefix().isEmpty());
    }
}
