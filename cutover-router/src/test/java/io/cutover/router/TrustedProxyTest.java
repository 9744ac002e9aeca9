package io.cutover.router;

import io.cutover.router.support.RawHttp;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.ScriptedBackend;
import io.cutover.router.support.ScriptedBackend.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.cutover.router.support.RawHttp.readResponse;
import static io.cutover.router.support.RawHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/** Forwarded headers from a trusted proxy are kept and appended to; from anyone else they are replaced. */
class TrustedProxyTest {
    @TempDir
    Path dir;

    private static final String CLAIMS = "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 198.51.100.7\r\n"
            + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: shop.example\r\nForwarded: for=203.0.113.9;proto=https\r\n";

    private RouterFixture router(ScriptedBackend backend, String trusted) {
        return new RouterFixture("""
                listen: 127.0.0.1:0
                backends:
                  app: {url: "%s"}
                default: app
                trusted_proxies: [%s]
                """.formatted(backend.url(), trusted), dir);
    }

    /** The head lines of the i-th request the backend received. */
    private static List<String> lines(ScriptedBackend b, int i) {
        return Arrays.asList(b.heads().get(i).split("\r\n"));
    }

    private static void sendBoth(Socket s) throws Exception {
        send(s, "GET /g HTTP/1.1\r\nHost: lb.internal\r\n" + CLAIMS + "\r\n"); // the forwarding path
        assertThat(readResponse(s).status()).isEqualTo(200);
        send(s, "POST /p HTTP/1.1\r\nHost: lb.internal\r\n" + CLAIMS + "Content-Length: 1\r\n\r\nz"); // the handler chain
        assertThat(readResponse(s).status()).isEqualTo(200);
    }

    @Test
    void fromATrustedProxyEveryLineIsKeptAndThePeerAppended() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> new Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false));
             RouterFixture r = router(backend, "10.0.0.0/8, 127.0.0.1/32"); Socket s = RawHttp.connect(r.router.port())) {
            sendBoth(s);
            for (int i = 0; i < 2; i++) {
                assertThat(lines(backend, i)).as("request " + i).containsSubsequence(
                        "X-Forwarded-For: 203.0.113.9", "X-Forwarded-For: 198.51.100.7, 127.0.0.1").contains(
                        "X-Forwarded-Proto: https", "X-Forwarded-Host: shop.example",
                        "Forwarded: for=203.0.113.9;proto=https, for=127.0.0.1;proto=http;host=\"lb.internal\"");
                assertThat(lines(backend, i)).filteredOn(l -> l.startsWith("X-Forwarded-Proto")).hasSize(1);
            }
        }
    }

    @Test
    void fromAnyoneElseTheyAreReplaced() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend(line -> new Answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false));
             RouterFixture r = router(backend, "10.0.0.0/8"); Socket s = RawHttp.connect(r.router.port())) {
            sendBoth(s);
            for (int i = 0; i < 2; i++) {
                List<String> l = lines(backend, i);
                assertThat(l).as("request " + i).contains("X-Forwarded-For: 127.0.0.1", "X-Forwarded-Proto: http",
                        "X-Forwarded-Host: lb.internal");
                assertThat(String.join("\n", l)).doesNotContain("203.0.113.9", "198.51.100.7", "https", "shop.example", "Forwarded:");
            }
        }
    }

    @Test
    void aBadAddressBlockIsAConfigError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RouterFixture.settings("""
                listen: 127.0.0.1:0
                backends: {app: {url: "http://127.0.0.1:1"}}
                default: app
                trusted_proxies: [10.0.0.0/33]
                """, dir, java.util.Map.of()))
                .hasMessage("router.yaml: trusted_proxies[0]: '10.0.0.0/33': the prefix length must be 0-32");
    }
}
