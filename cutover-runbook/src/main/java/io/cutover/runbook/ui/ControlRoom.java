package io.cutover.runbook.ui;

import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Json;
import io.cutover.runbook.run.Runner;
import io.cutover.runbook.state.Decision;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * The control-room page of a running runbook: one HTML page (shipped in the jar), its state as JSON, changes
 * pushed by Server-Sent Events, and operator actions that need the token printed at start, so that a page
 * shared on a call can be watched by anyone but clicked only by those given the token.
 */
public final class ControlRoom implements AutoCloseable {
    private static final Map<String, String> FILES = Map.of("/", "index.html", "/index.html", "index.html",
            "/app.js", "app.js", "/style.css", "style.css");

    private final Runner runner;
    private final Server server;
    private final String token;
    private final Object changed = new Object();
    private long version;

    private ControlRoom(Runner runner, String token) {
        this.runner = runner;
        this.token = token;
        this.server = new Server();
        runner.onChange(() -> {
            synchronized (changed) {
                version++;
                changed.notifyAll();
            }
        });
    }

    /** Serves the page on {@code hostPort} (port 0: any free port). */
    public static ControlRoom start(Runner runner, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw CutoverException.usage("--ui: expected HOST:PORT, e.g. 127.0.0.1:8088");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw CutoverException.usage("--ui: not a port: '" + hostPort.substring(colon + 1) + "'");
        }
        byte[] t = new byte[16];
        new SecureRandom().nextBytes(t);
        ControlRoom room = new ControlRoom(runner, HexFormat.of().formatHex(t));
        ServerConnector c = new ServerConnector(room.server);
        c.setHost(hostPort.substring(0, colon));
        c.setPort(port);
        room.server.addConnector(c);
        room.server.setHandler(room.new Pages());
        try {
            room.server.start();
        } catch (Exception e) {
            throw CutoverException.usage("--ui: cannot listen on " + hostPort + ": " + e.getMessage());
        }
        return room;
    }

    public String token() {
        return token;
    }

    public String url() {
        ServerConnector c = (ServerConnector) server.getConnectors()[0];
        return "http://" + c.getHost() + ":" + c.getLocalPort() + "/";
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // the process is ending anyway
        }
    }

    private final class Pages extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            String path = Request.getPathInContext(request);
            if (FILES.containsKey(path) && HttpMethod.GET.is(request.getMethod())) {
                String name = FILES.get(path);
                try (InputStream in = ControlRoom.class.getResourceAsStream(name)) {
                    String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
                    send(response, 200, type + "; charset=utf-8", new String(in.readAllBytes(), StandardCharsets.UTF_8), callback);
                }
                return true;
            }
            switch (path) {
                case "/api/state" -> send(response, 200, "application/json", Json.write(Snapshot.of(runner, Instant.now())), callback);
                case "/events" -> events(response, callback);
                case "/api/action" -> action(request, response, callback);
                default -> send(response, 404, "text/plain", "not found", callback);
            }
            return true;
        }

        private void action(Request request, Response response, Callback callback) {
            if (!HttpMethod.POST.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST");
                send(response, 405, "text/plain", "use POST", callback);
                return;
            }
            Fields q = Request.extractQueryParameters(request);
            String given = q.getValue("token");
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                send(response, 403, "text/plain", "actions need the token printed when the run started (?token=…)", callback);
                return;
            }
            Decision.Action a;
            try {
                a = Decision.Action.valueOf(String.valueOf(q.getValue("action")).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                send(response, 400, "text/plain", "action: one of confirm, done, failed, pause, resume, abort, rollback", callback);
                return;
            }
            String step = q.getValue("step");
            boolean needsStep = a == Decision.Action.CONFIRM || a == Decision.Action.DONE || a == Decision.Action.FAILED;
            if (needsStep && (step == null || step.isBlank())) {
                send(response, 400, "text/plain", a.word() + " needs step=", callback);
                return;
            }
            String by = q.getValue("by");
            String refused = runner.decide(new Decision(a, needsStep ? step : null, by == null || by.isBlank() ? "control room" : by));
            if (refused != null) {
                send(response, 409, "text/plain", refused, callback);
            } else {
                send(response, 200, "text/plain", "ok", callback);
            }
        }

        /** Server-Sent Events: the whole snapshot on every change, at most twice a second, and every few seconds anyway. */
        private void events(Response response, Callback callback) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                long seen = -1;
                while (server.isRunning()) {
                    long v;
                    synchronized (changed) {
                        if (version == seen) {
                            changed.wait(3000);
                        }
                        v = version;
                    }
                    seen = v;
                    out.write(("data: " + Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(Snapshot.of(runner, Instant.now())) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(500);
                }
                callback.succeeded();
            } catch (IOException e) {
                callback.failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                callback.failed(e);
            }
        }
    }

    private static void send(Response response, int status, String type, String body, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        Content.Sink.write(response, true, body, callback);
    }
}
