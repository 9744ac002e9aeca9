package io.cutover.router.route;

import io.cutover.router.config.RouterSettings;
import io.cutover.router.lists.Allowlist;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Picks the route for a request path: the first route whose regex and conditions match, else the default. */
public final class RouteTable {
    /** The name reported for requests no route matched. */
    public static final String DEFAULT_ROUTE = "default";

    private final List<Route> routes;
    private final Selection fallback;
    private final Map<String, Share> shares = new java.util.HashMap<>();

    /** Where a request goes: the route that matched and its backend. */
    public record Selection(String route, String backend) {
    }

    private record Condition(String group, Predicate<String> test) {
    }

    private record Route(Pattern path, List<Condition> conditions, Selection selection) {
    }

    /** Builds the table; {@code lists} must hold every list the routes name. */
    public RouteTable(List<RouterSettings.RouteSpec> specs, String defaultBackend, Map<String, Allowlist> lists) {
        List<Route> rs = new ArrayList<>();
        for (RouterSettings.RouteSpec spec : specs) {
            List<Condition> cs = new ArrayList<>();
            for (RouterSettings.ConditionSpec c : spec.conditions()) {
                if (c.list() != null) {
                    Allowlist list = lists.get(c.list());
                    if (list == null) {
                        throw new IllegalArgumentException("route " + spec.name() + ": no list " + c.list());
                    }
                    cs.add(new Condition(c.group(), list::contains));
                } else if (c.promote() != null) {
                    Share share = new Share(c.percent());
                    shares.put(spec.name(), share);
                    cs.add(new Condition(c.group(), id -> StickyPercent.in(id, share.percent())));
                } else {
                    double percent = c.percent();
                    cs.add(new Condition(c.group(), id -> StickyPercent.in(id, percent)));
                }
            }
            rs.add(new Route(spec.path(), List.copyOf(cs), new Selection(spec.name(), spec.backend())));
        }
        this.routes = List.copyOf(rs);
        this.fallback = new Selection(DEFAULT_ROUTE, defaultBackend);
    }

    /** The selection for {@code path}: the normal form of the request's path ({@link RequestTarget}), without the query. */
    public Selection select(String path) {
        for (Route r : routes) {
            Matcher m = r.path().matcher(path);
            if (m.find() && matches(r.conditions(), m)) {
                return r.selection();
            }
        }
        return fallback;
    }

    /** The share of a route whose percentage is promoted, or null. */
    public Share share(String route) {
        return shares.get(route);
    }

    /** The selection of a named route. */
    public Selection selection(String route) {
        for (Route r : routes) {
            if (r.selection().route().equals(route)) {
                return r.selection();
            }
        }
        return null;
    }

    /** Where a request no route can match goes ({@code OPTIONS *}). */
    public Selection fallback() {
        return fallback;
    }

    /** Every selection this table can produce, the default last (for metrics set-up). */
    public List<Selection> selections() {
        List<Selection> out = new ArrayList<>();
        routes.forEach(r -> out.add(r.selection()));
        out.add(fallback);
        return out;
    }

    private static boolean matches(List<Condition> conditions, Matcher m) {
        for (Condition c : conditions) {
            String value = m.group(c.group());
            if (value == null || !c.test().test(value)) {
                return false;
            }
        }
        return true;
    }
}
