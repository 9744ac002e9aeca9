package io.cutover.router;

import io.cutover.router.support.RouterFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * WebSockets through the router: a Python websockets echo server (Debian's python3-websockets) behind it, the JDK's
 * WebSocket client in front.
 */
class WebSocketTest {
    @TempDir
    Path dir;

    private Process server;
    private int serverPort;

    private static final String ECHO = """
            import asyncio, sys, websockets
            async def echo(ws, path=None):
                await ws.send("path " + (path or ws.path))
                async for m in ws:
                    await ws.send(m)
            async def main():
                async with websockets.serve(echo, "127.0.0.1", 0, max_size=None) as s:
                    print(s.sockets[0].getsockname()[1], flush=True)
                    await asyncio.Future()
            asyncio.run(main())
            """;

    @BeforeEach
    void startEchoServer() throws Exception {
        String python = null;
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import websockets").start();
                if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    python = candidate;
                    break;
                }
            } catch (Exception ignored) {
                // next
            }
        }
        assumeTrue(python != null, "python3 with websockets (apt-get install python3-websockets)");
        Path script = dir.resolve("echo.py");
        Files.writeString(script, ECHO);
        server = new ProcessBuilder(python, script.toString()).redirectError(dir.resolve("echo.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        serverPort = Integer.parseInt(CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (Exception e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS).trim());
    }

    @AfterEach
    void stopEchoServer() {
        if (server != null) {
            server.destroy();
        }
    }

    private RouterFixture router(String grace) {
        return new RouterFixture("""
                listen: 127.0.0.1:0
                backends:
                  legacy: {url: "http://127.0.0.1:1"}
                  live: {url: "http://127.0.0.1:%d"}
                default: legacy
                routes:
                  - {name: chat, path: '^/ws/', to: live}
                shutdown_grace: %s
                """.formatted(serverPort, grace), dir);
    }

    /** Collects what the server sends, whole messages only. */
    private static final class Received implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete("close " + status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete("error " + error);
        }
    }

    private static WebSocket open(RouterFixture r, Received listener) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + r.router.port() + "/ws/chat?room=1"), listener)
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void messagesEchoBothWaysThroughTheRoutedBackendAndTheTunnelIsCounted() throws Exception {
        try (RouterFixture r = router("5s")) {
            Received in = new Received();
            WebSocket ws = open(r, in);
            assertThat(in.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("path /ws/chat?room=1");
            assertThat(RouterFixture.eventually(Duration.ofSeconds(5), () -> r.metric("cutover_router_tunnels_open") == 1.0)).isTrue();

            ws.sendText("grüße, €", true).get(10, TimeUnit.SECONDS);
            assertThat(in.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("grüße, €");
            byte[] big = new byte[3 * 1024 * 1024]; // larger than any buffer on the way: it has to stream
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            List<CompletableFuture<WebSocket>> sent = new ArrayList<>();
            sent.add(ws.sendBinary(ByteBuffer.wrap(big), true));
            sent.get(0).get(30, TimeUnit.SECONDS);
            assertThat((byte[]) in.messages.poll(30, TimeUnit.SECONDS)).isEqualTo(big);

            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            assertThat(in.closed.get(10, TimeUnit.SECONDS)).isEqualTo("close 1000");
            assertThat(RouterFixture.eventually(Duration.ofSeconds(10), () -> r.metric("cutover_router_tunnels_open") == 0.0)).isTrue();
            assertThat(RouterFixture.eventually(Duration.ofSeconds(5), () -> r.router.inflight() == 0)).isTrue();
            assertThat(RouterFixture.eventually(Duration.ofSeconds(5), () -> r.metric(
                    "cutover_router_requests_seconds_count{backend=\"live\",route=\"chat\",status=\"1xx\"}") == 1.0)).isTrue();
        }
    }

    @Test
    void anOpenTunnelIsClosedOnShutdownAfterTheGrace() throws Exception {
        RouterFixture r = router("1s");
        Received in = new Received();
        open(r, in);
        assertThat(in.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("path /ws/chat?room=1");
        long start = System.nanoTime();
        r.close();
        long stoppedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(in.closed.get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(stoppedMs).as("the tunnel had its grace, then was closed").isBetween(900L, 8000L);
    }
}
