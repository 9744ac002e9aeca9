package io.cutover.router.admin;

import io.cutover.router.metrics.Metrics;
import io.cutover.core.output.Json;
import io.cutover.router.config.RouterSettings;
import io.cutover.router.http.PlainText;
import io.cutover.router.lists.Allowlist;
import io.cutover.router.lists.ListReloader;
import io.cutover.router.promote.Promoter;
import io.cutover.router.promote.PromotionStatus;
import io.cutover.router.promote.Promotions;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The admin port: {@code GET /metrics} (Prometheus), {@code GET /healthz}, {@code GET /routes} (JSON),
 * {@code POST /reload} (reload every list now; {@code ?force=true} skips the shrink guard).
 */
public final class AdminHandler extends Handler.Abstract {
    private static final String JSON = "application/json";

    private final Metrics metrics;
    private final ListReloader lists;
    private final RouterSettings settings;
    private final BooleanSupplier stopping;

    private final Promotions promotions;

    public AdminHandler(Metrics metrics, ListReloader lists, RouterSettings settings, BooleanSupplier stopping,
                        Promotions promotions) {
        this.promotions = promotions;
        this.metrics = metrics;
        this.lists = lists;
        this.settings = settings;
        this.stopping = stopping;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        switch (path) {
            case "/metrics" -> {
                if (!HttpMethod.GET.is(method)) {
                    return notAllowed(response, callback, "GET");
                }
                PlainText.send(response, 200, Metrics.contentType(), metrics.scrape(), callback);
            }
            case "/healthz" -> {
                if (stopping.getAsBoolean()) {
                    PlainText.send(response, 503, "stopping", callback);
                } else {
                    PlainText.send(response, 200, "ok", callback);
                }
            }
            case "/routes" -> PlainText.send(response, 200, JSON, Json.write(routes()) + "\n", callback);
            case "/reload" -> {
                if (!HttpMethod.POST.is(method)) {
                    return notAllowed(response, callback, "POST");
                }
                Fields query = Request.extractQueryParameters(request);
                boolean force = "true".equals(query.getValue("force"));
                PlainText.send(response, 200, JSON, Json.write(lists.reloadAll(force)) + "\n", callback);
            }
            default -> PlainText.send(response, 404, "not found: try /metrics, /healthz, /routes, POST /reload", callback);
        }
        return true;
    }

    private boolean notAllowed(Response response, Callback callback, String allowed) {
        response.getHeaders().put("Allow", allowed);
        PlainText.send(response, 405, "method not allowed: use " + allowed, callback);
        return true;
    }

    private Map<String, Object> routes() {
        List<Map<String, Object>> routes = new ArrayList<>();
        for (RouterSettings.RouteSpec r : settings.routes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("path", r.path().pattern());
            m.put("to", r.backend());
            Map<String, Object> when = new LinkedHashMap<>();
            r.conditions().forEach(c -> when.put(c.group(), c.list() != null ? Map.of("in", c.list())
                    : Map.of("percent", c.percent())));
            if (!when.isEmpty()) {
                m.put("when", when);
            }
            r.conditions().stream().filter(c -> c.percent() != null).findFirst().ifPresent(c -> m.put("percent", c.percent()));
            Promoter promoter = promotions.of(r.name());
            if (promoter != null) {
                PromotionStatus st = promoter.status();
                m.put("percent", st.percent()); // now, not as configured
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("state", st.phase().label());
                p.put("reason", st.reason());
                p.put("since", st.since().toString());
                m.put("promotion", p);
            }
            routes.add(m);
        }
        Map<String, Object> listInfo = new LinkedHashMap<>();
        lists.lists().forEach((name, l) -> listInfo.put(name, listState(name, l)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("routes", routes);
        out.put("default", settings.defaultBackend());
        out.put("lists", listInfo);
        return out;
    }

    private Map<String, Object> listState(String name, Allowlist l) {
        Map<String, Object> m = new LinkedHashMap<>();
        Allowlist.Snapshot s = l.snapshot();
        m.put("loaded", s != null);
        m.put("size", l.size());
        m.put("age_seconds", Math.round(l.ageSeconds() * 10) / 10.0);
        m.put("loaded_at", s == null ? null : s.loadedAt().toString());
        m.put("last_error", lists.lastError(name));
        return m;
    }
}
