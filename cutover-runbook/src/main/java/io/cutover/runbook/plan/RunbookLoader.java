package io.cutover.runbook.plan;

import io.cutover.core.config.EnvSubstitution;
import io.cutover.core.error.CutoverException;
import io.cutover.core.time.Durations;
import io.cutover.runbook.state.StateLocation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and checks a runbook file. Every problem found is collected (not only the first) and reported as
 * {@code file:line:col: message}; any problem makes the whole file a {@link RunbookInvalid}.
 */
public final class RunbookLoader {
    private static final Set<String> TOP = Set.of("name", "window", "vars", "state", "steps");
    private static final Set<String> KINDS = Set.of("cutover", "shell", "manual", "gate", "wait");
    private static final Set<String> STEP_KEYS = Set.of("id", "title", "owner", "phase", "after", "planned", "at",
            "confirm", "on_failure", "rollback", "point_of_no_return", "idempotent", "for_each", "timeout", "env",
            "cutover", "shell", "manual", "gate", "wait");
    private static final Set<String> GATES = Set.of("redis_lag", "redis_clients", "sql_verify", "sql_outstanding",
            "http", "prometheus");

    private final Function<String, String> env;
    private final Map<String, String> overrides;
    private final List<String> problems = new ArrayList<>();
    private Path file;

    /** @param overrides values that win over the file's {@code vars:} (e.g. a rehearsal's {@code --vars} file) */
    public RunbookLoader(Function<String, String> env, Map<String, String> overrides) {
        this.env = env;
        this.overrides = overrides;
    }

    public static RunbookLoader fromSystem(Map<String, String> overrides) {
        return new RunbookLoader(System::getenv, overrides);
    }

    /** The checked runbook; a {@link RunbookInvalid} lists every problem. */
    public Runbook load(Path path) {
        file = path;
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CutoverException.usage(path + ": no such runbook file");
        } catch (IOException e) {
            throw CutoverException.usage(path + ": cannot read: " + e.getMessage());
        }
        Node root;
        try {
            root = YamlTree.read(text);
        } catch (YamlTree.Problem p) {
            throw new RunbookInvalid(List.of(path + ":" + p.where + ": " + p.getMessage()));
        }
        Runbook r = runbook(root);
        if (!problems.isEmpty()) {
            throw new RunbookInvalid(problems);
        }
        return r;
    }

    private Runbook runbook(Node root) {
        if (!(root instanceof Node.Mapping top)) {
            problem(root.where(), "a runbook is a mapping with name, window and steps");
            return null;
        }
        unknownKeys(top, TOP, "runbook");
        String name = requiredText(top, "name", top.where());
        Map<String, String> vars = vars(top.get("vars"));
        Function<String, String> lookup = n -> vars.containsKey(n) ? vars.get(n) : env.apply(n);
        Window window = window(top.get("window"), top.where(), lookup);
        StateLocation state = state(top.get("state"), lookup);
        List<Step> steps = steps(top.get("steps"), top.where(), window, lookup);
        return problems.isEmpty() ? new Runbook(file, name, window, vars, state, steps) : null;
    }

    private Map<String, String> vars(Node n) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (n == null) {
            vars.putAll(overrides);
            return vars;
        }
        if (!(n instanceof Node.Mapping m)) {
            problem(n.where(), "vars: a mapping of names to values");
            return vars;
        }
        for (Map.Entry<String, Node> e : m.values().entrySet()) {
            if (overrides.containsKey(e.getKey())) {
                continue;
            }
            String v = text(e.getValue(), "vars." + e.getKey(), n2 -> vars.containsKey(n2) ? vars.get(n2) : env.apply(n2));
            if (v != null) {
                vars.put(e.getKey(), v);
            }
        }
        vars.putAll(overrides);
        return vars;
    }

    private Window window(Node n, Node.Where parent, Function<String, String> lookup) {
        if (!(n instanceof Node.Mapping m)) {
            problem(n == null ? parent : n.where(), "window: missing {start, end} (times with offset, e.g. 2026-12-06T22:00:00+09:00)");
            return null;
        }
        unknownKeys(m, Set.of("start", "end"), "window");
        OffsetDateTime start = time(m, "start", lookup);
        OffsetDateTime end = time(m, "end", lookup);
        if (start == null || end == null) {
            return null;
        }
        if (!end.isAfter(start)) {
            problem(m.get("end").where(), "window.end must be after window.start");
            return null;
        }
        return new Window(start, end);
    }

    private OffsetDateTime time(Node.Mapping m, String key, Function<String, String> lookup) {
        String t = requiredText(m, key, m.where(), lookup);
        if (t == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException e) {
            problem(m.get(key).where(), "window." + key + ": not a time with offset: '" + t + "' (e.g. 2026-12-06T22:00:00+09:00)");
            return null;
        }
    }

    private StateLocation state(Node n, Function<String, String> lookup) {
        Path dir = file.toAbsolutePath().getParent();
        if (n == null) {
            String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            return new StateLocation.File(dir.resolve(base + ".state.json"));
        }
        String s = text(n, "state", lookup);
        if (s == null) {
            return null;
        }
        if (s.startsWith("jdbc:")) {
            if (!s.startsWith("jdbc:postgresql:") && !s.startsWith("jdbc:mariadb:") && !s.startsWith("jdbc:h2:")) {
                problem(n.where(), "state: " + io.cutover.core.error.Secrets.redact(s)
                        + " is not a PostgreSQL, MariaDB or H2 JDBC URL (jdbc:postgresql:, jdbc:mariadb:, jdbc:h2:)");
                return null;
            }
            return new StateLocation.Database(s);
        }
        return new StateLocation.File(dir.resolve(s));
    }

    private List<Step> steps(Node n, Node.Where parent, Window window, Function<String, String> lookup) {
        if (!(n instanceof Node.Seq seq) || seq.items().isEmpty()) {
            problem(n == null ? parent : n.where(), "steps: missing (a list of steps)");
            return List.of();
        }
        // first pass: ids and items, so that after/rollback can name any step
        Map<String, List<String>> instances = new LinkedHashMap<>();
        Map<String, List<String>> itemsOf = new HashMap<>();
        Map<String, Node.Where> idAt = new HashMap<>();
        Set<String> rollbackOnly = new HashSet<>();
        List<Node.Mapping> raw = new ArrayList<>();
        for (Node item : seq.items()) {
            if (!(item instanceof Node.Mapping m)) {
                problem(item.where(), "a step is a mapping with id, title, owner and one of " + String.join(", ", new java.util.TreeSet<>(KINDS)));
                continue;
            }
            String id = requiredText(m, "id", m.where());
            if (id == null) {
                continue;
            }
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                problem(m.get("id").where(), "id: '" + id + "' may hold letters, digits, '.', '_' and '-' only");
                continue;
            }
            if (idAt.containsKey(id)) {
                problem(m.get("id").where(), "id: '" + id + "' is already used at " + idAt.get(id));
                continue;
            }
            idAt.put(id, m.get("id").where());
            List<String> items = forEach(m.get("for_each"), lookup);
            itemsOf.put(id, items);
            List<String> ids = new ArrayList<>();
            if (items == null) {
                ids.add(id);
            } else {
                items.forEach(i -> ids.add(id + "[" + i + "]"));
            }
            instances.put(id, ids);
            raw.add(m);
        }
        for (Node.Mapping m : raw) {
            if (m.get("rollback") instanceof Node.Seq rs) {
                rs.items().forEach(r -> {
                    if (r instanceof Node.Scalar s && s.text() != null) {
                        rollbackOnly.add(s.text());
                    }
                });
            }
        }
        List<Step> steps = new ArrayList<>();
        String previous = null;
        for (Node.Mapping m : raw) {
            String id = text(m.get("id"), "id", lookup);
            boolean onlyRollback = rollbackOnly.contains(id);
            List<String> after = after(m, previous, instances, onlyRollback, id);
            List<String> items = itemsOf.get(id);
            List<String> ids = instances.get(id);
            for (int i = 0; i < ids.size(); i++) {
                String item = items == null ? null : items.get(i);
                Function<String, String> withItem = item == null ? lookup : v -> "item".equals(v) ? item : lookup.apply(v);
                Step s = step(m, ids.get(i), id, item, after, onlyRollback, window, withItem, instances, itemsOf, idAt);
                if (s != null) {
                    steps.add(s);
                }
            }
            if (!onlyRollback) {
                previous = id;
            }
        }
        if (problems.isEmpty()) {
            cycles(steps, idAt);
        }
        return steps;
    }

    private List<String> forEach(Node n, Function<String, String> lookup) {
        if (n == null) {
            return null;
        }
        List<String> items = new ArrayList<>();
        if (n instanceof Node.Seq seq) {
            for (Node i : seq.items()) {
                String t = text(i, "for_each", lookup);
                if (t != null) {
                    items.add(t);
                }
            }
        } else {
            String f = text(n, "for_each", lookup);
            if (f == null) {
                return null;
            }
            Path p = file.toAbsolutePath().getParent().resolve(f);
            try {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        items.add(t);
                    }
                }
            } catch (IOException e) {
                problem(n.where(), "for_each: cannot read the list file " + p + " (" + e.getClass().getSimpleName() + ")");
                return null;
            }
        }
        Set<String> seen = new HashSet<>();
        for (String i : items) {
            if (!seen.add(i)) {
                problem(n.where(), "for_each: '" + i + "' is listed twice");
                return null;
            }
            if (i.contains("]") || i.contains("[")) {
                problem(n.where(), "for_each: '" + i + "' may not contain [ or ]");
                return null;
            }
        }
        if (items.isEmpty()) {
            problem(n.where(), "for_each: the list is empty");
            return null;
        }
        return items;
    }

    private List<String> after(Node.Mapping m, String previous, Map<String, List<String>> instances, boolean onlyRollback,
                               String self) {
        Node n = m.get("after");
        List<String> names = new ArrayList<>();
        if (n == null) {
            if (previous != null && !onlyRollback) {
                names.add(previous);
            }
        } else if (n instanceof Node.Seq seq) {
            seq.items().forEach(i -> names.add(i instanceof Node.Scalar s ? s.text() : null));
        } else if (n instanceof Node.Scalar s) {
            names.add(s.text());
        }
        List<String> after = new ArrayList<>();
        for (String a : names) {
            if (a == null) {
                problem(n.where(), "after: a list of step ids");
            } else if (a.equals(self)) {
                problem(n.where(), "after: a step cannot wait for itself");
            } else if (!instances.containsKey(a)) {
                problem(n.where(), "after: no step '" + a + "'");
            } else {
                after.addAll(instances.get(a));
            }
        }
        return after;
    }

    private Step step(Node.Mapping m, String id, String base, String item, List<String> after, boolean onlyRollback,
                      Window window, Function<String, String> lookup, Map<String, List<String>> instances,
                      Map<String, List<String>> itemsOf, Map<String, Node.Where> idAt) {
        boolean first = item == null || item.equals(itemsOf.get(base).get(0));
        int before = problems.size();
        if (first) {
            unknownKeys(m, STEP_KEYS, "step '" + base + "'");
        }
        String title = text(m.get("title"), "title", lookup);
        String owner = text(m.get("owner"), "owner", lookup);
        if (m.get("title") == null && first) {
            problem(m.where(), "step '" + base + "': title missing");
        }
        if (m.get("owner") == null && first) {
            problem(m.where(), "step '" + base + "': owner missing (who does it, or who is called when it fails)");
        }
        String phase = text(m.get("phase"), "phase", lookup);
        List<String> kinds = m.values().keySet().stream().filter(KINDS::contains).toList();
        Action action = null;
        if (kinds.size() != 1) {
            if (first) {
                problem(m.where(), "step '" + base + "': give exactly one of cutover, shell, manual, gate, wait"
                        + (kinds.isEmpty() ? "" : " (found " + String.join(", ", kinds) + ")"));
            }
        } else {
            action = action(m, kinds.get(0), lookup, instances);
        }
        Duration planned = m.get("planned") == null ? null : duration(m.get("planned"), "planned", lookup);
        if (planned == null && action instanceof Action.Wait w) {
            planned = w.length();
        }
        OffsetDateTime at = at(m.get("at"), window, lookup);
        if (planned == null && m.get("planned") == null && m.get("at") == null && first && action != null
                && !(action instanceof Action.Wait)) {
            problem(m.where(), "step '" + base + "': planned missing (a duration such as 5m) or at (a time such as 02:00)");
        }
        boolean confirm = bool(m.get("confirm"), "confirm", lookup);
        OnFailure onFailure = OnFailure.STOP;
        if (m.get("on_failure") != null) {
            String f = text(m.get("on_failure"), "on_failure", lookup);
            try {
                onFailure = OnFailure.valueOf(f.toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                problem(m.get("on_failure").where(), "on_failure: '" + f + "' is not one of stop, continue, rollback");
            }
        }
        List<String> rollback = new ArrayList<>();
        if (m.get("rollback") instanceof Node.Seq rs) {
            for (Node r : rs.items()) {
                String rid = text(r, "rollback", lookup);
                if (rid == null) {
                    continue;
                }
                if (!instances.containsKey(rid)) {
                    problem(r.where(), "rollback: no step '" + rid + "'");
                } else if (item != null && itemsOf.get(rid) != null && itemsOf.get(rid).contains(item)) {
                    rollback.add(rid + "[" + item + "]");
                } else {
                    rollback.addAll(instances.get(rid));
                }
            }
        } else if (m.get("rollback") != null) {
            problem(m.get("rollback").where(), "rollback: a list of step ids");
        }
        boolean ponr = bool(m.get("point_of_no_return"), "point_of_no_return", lookup);
        boolean idempotent = bool(m.get("idempotent"), "idempotent", lookup);
        if (problems.size() > before || action == null) {
            return null;
        }
        return new Step(id, base, title, owner, phase, List.copyOf(after), planned == null ? Duration.ZERO : planned,
                at, confirm, onFailure, List.copyOf(rollback), ponr, idempotent, action, onlyRollback, idAt.get(base));
    }

    private Action action(Node.Mapping m, String kind, Function<String, String> lookup, Map<String, List<String>> instances) {
        Node n = m.get(kind);
        Duration timeout = m.get("timeout") == null ? null : duration(m.get("timeout"), "timeout", lookup);
        switch (kind) {
            case "cutover" -> {
                String c = text(n, "cutover", lookup);
                if (c == null) {
                    return null;
                }
                try {
                    List<String> args = Words.split(c);
                    if (!args.isEmpty() && args.get(0).equals("cutover")) {
                        args = args.subList(1, args.size());
                    }
                    if (args.isEmpty()) {
                        problem(n.where(), "cutover: empty command (e.g. \"redis clients --uri …\")");
                        return null;
                    }
                    if (args.get(0).equals("runbook")) {
                        problem(n.where(), "cutover: a runbook cannot run a runbook");
                        return null;
                    }
                    return new Action.RunCutover(c, List.copyOf(args));
                } catch (IllegalArgumentException e) {
                    problem(n.where(), "cutover: " + e.getMessage());
                    return null;
                }
            }
            case "shell" -> {
                String c = text(n, "shell", lookup);
                Map<String, String> env = new LinkedHashMap<>();
                if (m.get("env") instanceof Node.Mapping em) {
                    em.values().forEach((k, v) -> {
                        String t = text(v, "env." + k, lookup);
                        if (t != null) {
                            env.put(k, t);
                        }
                    });
                } else if (m.get("env") != null) {
                    problem(m.get("env").where(), "env: a mapping of names to values");
                }
                return c == null ? null : new Action.Shell(c, timeout == null ? Duration.ofMinutes(10) : timeout, env);
            }
            case "manual" -> {
                String c = text(n, "manual", lookup);
                return c == null ? null : new Action.Manual(c);
            }
            case "wait" -> {
                Duration d = duration(n, "wait", lookup);
                return d == null ? null : new Action.Wait(d);
            }
            default -> {
                return gate(n, timeout, lookup, instances);
            }
        }
    }

    private Action gate(Node n, Duration timeout, Function<String, String> lookup, Map<String, List<String>> instances) {
        if (!(n instanceof Node.Mapping g)) {
            problem(n.where(), "gate: a mapping naming what it watches: one of " + String.join(", ", new java.util.TreeSet<>(GATES)));
            return null;
        }
        List<String> what = g.values().keySet().stream().filter(GATES::contains).toList();
        if (what.size() != 1) {
            problem(g.where(), "gate: name exactly one of " + String.join(", ", new java.util.TreeSet<>(GATES)));
            return null;
        }
        String kind = what.get(0);
        Set<String> allowed = new HashSet<>(Set.of(kind, "every", "timeout"));
        allowed.addAll(switch (kind) {
            case "redis_lag", "sql_outstanding" -> Set.of("max");
            case "redis_clients" -> Set.of("max", "except");
            case "http" -> Set.of("status");
            case "prometheus" -> Set.of("query", "max");
            default -> Set.<String>of();
        });
        unknownKeys(g, allowed, "gate");
        Duration every = g.get("every") == null ? Duration.ofSeconds(1) : duration(g.get("every"), "gate.every", lookup);
        if (g.get("timeout") != null) {
            timeout = duration(g.get("timeout"), "gate.timeout", lookup);
        }
        String subject = text(g.get(kind), "gate." + kind, lookup);
        if (subject == null || every == null) {
            return null;
        }
        Path dir = file.toAbsolutePath().getParent();
        GateCheck check = switch (kind) {
            case "redis_lag" -> {
                if (!instances.containsKey(subject)) {
                    problem(g.get(kind).where(), "gate.redis_lag: no step '" + subject + "' (name the live-copy step)");
                    yield null;
                }
                Duration max = g.get("max") == null ? Duration.ofSeconds(1) : duration(g.get("max"), "gate.max", lookup);
                yield max == null ? null : new GateCheck.RedisLag(subject, max);
            }
            case "redis_clients" -> {
                List<String> except = new ArrayList<>();
                if (g.get("except") instanceof Node.Seq es) {
                    es.items().forEach(e -> {
                        String t = text(e, "gate.except", lookup);
                        if (t != null) {
                            except.add(t);
                        }
                    });
                } else if (g.get("except") != null) {
                    problem(g.get("except").where(), "gate.except: a list of client names");
                }
                Long max = number(g.get("max"), "gate.max", lookup, 0);
                yield max == null ? null : new GateCheck.RedisClients(subject, max.intValue(), List.copyOf(except));
            }
            case "sql_verify" -> new GateCheck.SqlVerify(dir.resolve(subject));
            case "sql_outstanding" -> {
                Long max = number(g.get("max"), "gate.max", lookup, 0);
                yield max == null ? null : new GateCheck.SqlOutstanding(dir.resolve(subject), max);
            }
            case "http" -> {
                Long status = number(g.get("status"), "gate.status", lookup, 200);
                if (!subject.startsWith("http://") && !subject.startsWith("https://")) {
                    problem(g.get(kind).where(), "gate.http: not an http(s) URL: '" + subject + "'");
                    yield null;
                }
                yield status == null ? null : new GateCheck.Http(subject, status.intValue());
            }
            default -> {
                String q = g.get("query") == null ? null : text(g.get("query"), "gate.query", lookup);
                if (q == null) {
                    problem(g.where(), "gate: prometheus needs query");
                    yield null;
                }
                String max = g.get("max") == null ? "0" : text(g.get("max"), "gate.max", lookup);
                try {
                    yield new GateCheck.Prometheus(subject, q, Double.parseDouble(max));
                } catch (NumberFormatException e) {
                    problem(g.get("max").where(), "gate.max: not a number: '" + max + "'");
                    yield null;
                }
            }
        };
        return check == null ? null : new Action.Gate(check, timeout == null ? Duration.ofMinutes(10) : timeout, every);
    }

    private OffsetDateTime at(Node n, Window window, Function<String, String> lookup) {
        if (n == null) {
            return null;
        }
        String t = text(n, "at", lookup);
        if (t == null || window == null) {
            return null;
        }
        LocalTime time;
        try {
            time = LocalTime.parse(t.length() == 4 ? "0" + t : t);
        } catch (DateTimeParseException e) {
            problem(n.where(), "at: not a time of day: '" + t + "' (e.g. 02:00)");
            return null;
        }
        OffsetDateTime at = window.start().with(time);
        if (at.isBefore(window.start())) {
            at = at.plusDays(1);
        }
        if (at.isAfter(window.end())) {
            problem(n.where(), "at: " + t + " is not inside the window (" + window.start() + " to " + window.end() + ")");
            return null;
        }
        return at;
    }

    private void cycles(List<Step> steps, Map<String, Node.Where> idAt) {
        Map<String, Step> byId = new HashMap<>();
        steps.forEach(s -> byId.put(s.id(), s));
        Set<String> done = new HashSet<>();
        for (Step s : steps) {
            LinkedHashSet<String> path = new LinkedHashSet<>();
            if (cycle(s, byId, path, done)) {
                List<String> bases = path.stream().map(id -> byId.get(id).base()).distinct().toList();
                problem(idAt.get(s.base()), "after: steps wait for each other in a circle: " + String.join(" → ", bases));
                return;
            }
        }
    }

    private boolean cycle(Step s, Map<String, Step> byId, LinkedHashSet<String> path, Set<String> done) {
        if (done.contains(s.id())) {
            return false;
        }
        if (!path.add(s.id())) {
            return true;
        }
        for (String a : s.after()) {
            if (cycle(byId.get(a), byId, path, done)) {
                return true;
            }
        }
        path.remove(s.id());
        done.add(s.id());
        return false;
    }

    private void unknownKeys(Node.Mapping m, Set<String> allowed, String what) {
        m.values().keySet().stream().filter(k -> !allowed.contains(k)).forEach(k -> problem(m.keys().get(k),
                what + ": unknown key '" + k + "' (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
    }

    private String requiredText(Node.Mapping m, String key, Node.Where parent) {
        return requiredText(m, key, parent, env);
    }

    private String requiredText(Node.Mapping m, String key, Node.Where parent, Function<String, String> lookup) {
        Node n = m.get(key);
        if (n == null) {
            problem(parent, key + " missing");
            return null;
        }
        String t = text(n, key, lookup);
        if (t != null && t.isBlank()) {
            problem(n.where(), key + ": empty");
            return null;
        }
        return t;
    }

    /** A scalar with ${VAR} replaced (vars, then the environment), or null after recording a problem. */
    private String text(Node n, String what, Function<String, String> lookup) {
        if (n == null) {
            return null;
        }
        if (!(n instanceof Node.Scalar s) || s.text() == null) {
            problem(n.where(), what + ": expected a single value");
            return null;
        }
        try {
            return new EnvSubstitution(lookup).apply(s.text(), "");
        } catch (CutoverException e) {
            // EnvSubstitution names ":line:" of the scalar itself; the node knows the real place
            problem(n.where(), what + ": " + e.getMessage().replaceFirst("^:\\d+: ", "").replace("environment variable", "variable"));
            return null;
        }
    }

    private Duration duration(Node n, String what, Function<String, String> lookup) {
        String t = text(n, what, lookup);
        if (t == null) {
            return null;
        }
        try {
            return Durations.parse(t, what);
        } catch (CutoverException e) {
            problem(n.where(), e.getMessage());
            return null;
        }
    }

    private boolean bool(Node n, String what, Function<String, String> lookup) {
        if (n == null) {
            return false;
        }
        String t = text(n, what, lookup);
        if ("true".equals(t) || "false".equals(t)) {
            return Boolean.parseBoolean(t);
        }
        if (t != null) {
            problem(n.where(), what + ": '" + t + "' is not true or false");
        }
        return false;
    }

    private Long number(Node n, String what, Function<String, String> lookup, long dflt) {
        if (n == null) {
            return dflt;
        }
        String t = text(n, what, lookup);
        try {
            return t == null ? null : Long.parseLong(t);
        } catch (NumberFormatException e) {
            problem(n.where(), what + ": not a whole number: '" + t + "'");
            return null;
        }
    }

    private void problem(Node.Where where, String message) {
        String line = file + ":" + where + ": " + message;
        if (!problems.contains(line)) {
            problems.add(line);
        }
    }
}
