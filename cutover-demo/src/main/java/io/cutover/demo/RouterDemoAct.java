package io.cutover.demo;

import io.cutover.core.config.ConfigLoader;
import io.cutover.router.metrics.Metrics;
import io.cutover.router.Router;
import io.cutover.router.config.RouterConfig;
import io.cutover.router.config.RouterSettings;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The router act of {@code cutover demo}: two local backends, the router in front, requests before and after
 * shop 42 joins the allowlist, and the metrics that show it.
 */
public final class RouterDemoAct implements DemoAct {
    private static final List<String> PATHS = List.of("/shops/10/menu", "/shops/42/menu", "/_nuxt/app.js", "/about");

    @Override
    public String name() {
        return "router";
    }

    @Override
    public int run(PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("cutover-router-demo");
        Server legacy = backend("legacy");
        Server modern = backend("modern");
        Router router = null;
        try {
            Path list = dir.resolve("shops.txt");
            Files.writeString(list, "# shops on the new system\n10\n");
            String yaml = """
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    backends:
                      legacy: {url: "http://127.0.0.1:%d"}
                      modern: {url: "http://127.0.0.1:%d"}
                    default: legacy
                    lists:
                      shops: {source: "file:shops.txt", refresh: 200ms, max_shrink: 50%%}
                    routes:
                      - name: shop-pages
                        path: '^/shops/(?<id>[0-9]+)(/.*)?$'
                        to: modern
                        when: {id: {in: shops}}
                      - name: new-assets
                        path: '^/_nuxt/'
                        to: modern
                    """.formatted(port(legacy), port(modern));
            RouterConfig config = ConfigLoader.fromSystem().parse(yaml, "demo-router.yaml", RouterConfig.class);
            router = new Router(RouterSettings.from(config, dir, "demo-router.yaml"), new Metrics());
            router.start();
            out.println("step 1: backends legacy :" + port(legacy) + " and modern :" + port(modern)
                    + "; router on :" + router.port() + " (admin :" + router.adminPort() + "), shops.txt = [10]");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // as a browser behind a load balancer
            boolean ok = true;
            out.println("step 2: requests before shop 42 joins the list");
            ok &= requests(out, client, router, "legacy");

            Path tmp = dir.resolve("shops.txt.tmp");
            Files.writeString(tmp, "# shops on the new system\n10\n42\n");
            Files.move(tmp, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long start = System.nanoTime();
            while (router.lists().lists().get("shops").size() != 2 && System.nanoTime() - start < 10_000_000_000L) {
                Thread.sleep(20);
            }
            out.printf("step 3: added 42 to shops.txt; the reloader picked it up after %d ms (refresh 200ms)%n",
                    (System.nanoTime() - start) / 1_000_000);
            out.println("step 4: the same requests after");
            ok &= requests(out, client, router, "modern");

            out.println("step 5: metrics (GET /metrics on the admin port)");
            String scrape = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            scrape.lines().filter(l -> !l.startsWith("#"))
                    .filter(l -> (l.startsWith("cutover_router_requests_seconds_count") && !l.endsWith(" 0"))
                            || l.startsWith("cutover_router_list_") || l.startsWith("cutover_router_inflight_requests")
                            || l.startsWith("process_files_"))
                    .forEach(l -> out.println("  " + l));
            out.println(ok ? "router act: routing moved shop 42 to modern without a restart" : "router act: UNEXPECTED routing");
            return ok ? 0 : 1;
        } finally {
            if (router != null) {
                router.stop();
            }
            legacy.stop();
            modern.stop();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static boolean requests(PrintWriter out, HttpClient client, Router router, String expectedFor42) throws Exception {
        boolean ok = true;
        for (String path : PATHS) {
            HttpResponse<String> res = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            String backend = res.headers().firstValue("X-Backend").orElse("?");
            out.printf("  GET %-16s -> %-6s (%d)%n", path, backend, res.statusCode());
            if (path.startsWith("/shops/42")) {
                ok &= backend.equals(expectedFor42);
            }
        }
        return ok;
    }

    private static int port(Server s) {
        return ((ServerConnector) s.getConnectors()[0]).getLocalPort();
    }

    private static Server backend(String name) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("demo-" + name);
        Server s = new Server(threads);
        ServerConnector c = new ServerConnector(s, 1, 1);
        c.setHost("127.0.0.1");
        s.addConnector(c);
        s.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("X-Backend", name);
                Content.Sink.write(response, true, name + " served " + request.getHttpURI().getPath() + "\n", callback);
                return true;
            }
        });
        s.start();
        return s;
    }
}
