package io.cutover.router.support;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A real Jetty backend answering JSON: {@code /items/ID} is {@code {"id", "price", "served_by", "generated_at"}}
 * with the price from {@code price(id)} and {@code generated_at} the time of the answer in nanoseconds (it differs on
 * every answer, as real timestamps do); other paths echo the method and body. It can be made to answer 500s, and to
 * hold every answer until released.
 */
public final class JsonBackend implements AutoCloseable {
    /** A request as received: method, path and query, body, and whether it said it was a shadow copy. */
    public record Seen(String method, String pathQuery, String body, boolean shadow) {
    }

    private final String name;
    private final LoopbackJetty jetty;
    private final BiFunction<String, String, String> price;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile boolean failing;
    private volatile CountDownLatch hold = new CountDownLatch(0);

    /** {@code price(method, id)} gives the price an item has at this backend. */
    public JsonBackend(String name, BiFunction<String, String, String> price) throws Exception {
        this.name = name;
        this.price = price;
        jetty = LoopbackJetty.start("json-" + name, 32, 2, this::serve);
    }

    public String url() {
        return "http://127.0.0.1:" + jetty.port();
    }

    public List<Seen> seen() {
        return seen;
    }

    /** Answers 500 from now on (or not). */
    public void failing(boolean on) {
        failing = on;
    }

    /** Holds every answer until {@link #release()}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        String path = request.getHttpURI().getPath();
        String pq = path + (request.getHttpURI().getQuery() == null ? "" : "?" + request.getHttpURI().getQuery());
        seen.add(new Seen(request.getMethod(), pq, body, request.getHeaders().contains("X-Cutover-Shadow")));
        hold.await(30, TimeUnit.SECONDS);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (failing) {
            response.setStatus(500);
            Content.Sink.write(response, true, "{\"error\": \"down\"}", callback);
            return;
        }
        String json;
        if (path.contains("/items/")) {
            String id = path.substring(path.lastIndexOf('/') + 1);
            json = "{\"id\": \"" + id + "\", \"price\": " + price.apply(request.getMethod(), id) + ", \"served_by\": \"" + name
                    + "\", \"generated_at\": \"" + System.nanoTime() + "\"}";
        } else {
            json = "{\"method\": \"" + request.getMethod() + "\", \"body\": \"" + body + "\", \"served_by\": \"" + name + "\"}";
        }
        Content.Sink.write(response, true, json, callback);
    }

    @Override
    public void close() throws Exception {
        release();
        jetty.close();
    }
}
