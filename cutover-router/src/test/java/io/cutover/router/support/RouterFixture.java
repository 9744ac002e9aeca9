package io.cutover.router.support;

import io.cutover.core.config.ConfigLoader;
import io.cutover.core.config.EnvSubstitution;
import io.cutover.router.metrics.Metrics;
import io.cutover.router.Router;
import io.cutover.router.config.RouterConfig;
import io.cutover.router.config.RouterSettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Starts a router in the test JVM from a YAML text and talks to it with java.net.http. */
public final class RouterFixture implements AutoCloseable {
    public final Router router;
    // plain HTTP/1.1: Java's default h2c upgrade headers would send every request down the handler chain instead
    // of the forwarding path that nearly all real requests take
    public final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public RouterFixture(String yaml, Path dir) {
        this(yaml, dir, Map.of());
    }

    public RouterFixture(String yaml, Path dir, Map<String, String> env) {
        this(yaml, dir, env, java.time.Clock.systemUTC());
    }

    /** A router whose promotion periods follow {@code clock}. */
    public RouterFixture(String yaml, Path dir, Map<String, String> env, java.time.Clock clock) {
        router = new Router(settings(yaml, dir, env), new Metrics(), clock);
        router.start();
    }

    /** Validates {@code yaml} as if it were {@code dir/router.yaml}. */
    public static RouterSettings settings(String yaml, Path dir, Map<String, String> env) {
        ConfigLoader loader = new ConfigLoader(new EnvSubstitution(env::get));
        RouterConfig config = loader.parse(yaml, "router.yaml", RouterConfig.class);
        return RouterSettings.from(config, dir, "router.yaml");
    }

    public String url(String pathQuery) {
        return "http://127.0.0.1:" + router.port() + pathQuery;
    }

    public HttpResponse<String> get(String pathQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url(pathQuery))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> admin(String method, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort() + path));
        b.method(method, HttpRequest.BodyPublishers.noBody());
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one Prometheus sample line, e.g. {@code cutover_router_list_reload_failures_total{list="shops",}}. */
    public double metric(String nameAndLabels) {
        return Prom.value(router.metrics().scrape(), nameAndLabels);
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
    public static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(25);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() {
        router.stop();
    }
}
