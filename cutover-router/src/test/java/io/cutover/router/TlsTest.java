package io.cutover.router;

import io.cutover.core.error.CutoverException;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestBackend;
import io.cutover.router.support.TestCerts;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS listener: HTTP/2 and HTTP/1.1 by ALPN, the same routes and metrics, certificate reload, bad files. */
class TlsTest {
    @TempDir
    Path dir;

    private String yaml(TestBackend legacy, TestBackend modern, String refresh) {
        return """
                listen: 127.0.0.1:0
                listen_tls: {address: "127.0.0.1:0", cert: tls/cert.pem, key: tls/key.pem, refresh: %s}
                backends:
                  legacy: {url: "%s"}
                  modern: {url: "%s"}
                default: legacy
                routes:
                  - {name: new-api, path: '^/api/', to: modern}
                """.formatted(refresh, legacy.url(), modern.url());
    }

    private static HttpClient h2Client(Path cert) throws Exception {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(TestCerts.trusting(cert));
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        client.start();
        return client;
    }

    @Test
    void http2AndHttp11OverTlsAreRoutedAndCountedAsPlainRequestsAre() throws Exception {
        TestCerts.Pair pair = TestCerts.make(dir.resolve("tls"), "router-test");
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(yaml(legacy, modern, "1m"), dir)) {
            int port = r.router.tlsPort();
            HttpClient h2 = h2Client(pair.cert());
            try {
                ContentResponse a = h2.newRequest("https://localhost:" + port + "/api/orders?id=7")
                        .timeout(10, TimeUnit.SECONDS).send();
                assertThat(a.getVersion()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(a.getStatus()).isEqualTo(200);
                assertThat(a.getContentAsString()).isEqualTo("modern GET /api/orders?id=7");
                TestBackend.Seen seen = modern.seen().poll(5, TimeUnit.SECONDS);
                assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
                assertThat(seen.header("Host")).isEqualTo("localhost:" + port);
                assertThat(seen.header("X-Forwarded-Host")).isEqualTo("localhost:" + port);

                ContentResponse b = h2.newRequest("https://localhost:" + port + "/about").method("POST")
                        .body(new org.eclipse.jetty.client.StringRequestContent("hello")).timeout(10, TimeUnit.SECONDS).send();
                assertThat(b.getVersion()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(b.getContentAsString()).isEqualTo("legacy POST /about hello");
            } finally {
                h2.stop();
            }

            java.net.http.HttpClient h1 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .sslContext(TestCerts.trusting(pair.cert())).build();
            HttpResponse<String> c = h1.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/x"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(c.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            assertThat(c.body()).isEqualTo("modern GET /api/x");
            assertThat(modern.seen().poll(5, TimeUnit.SECONDS).header("X-Forwarded-Proto")).isEqualTo("https");

            // the plain listener still forwards, and both listeners count into the same metrics
            assertThat(r.get("/api/y").body()).isEqualTo("modern GET /api/y");
            assertThat(modern.seen().poll(5, TimeUnit.SECONDS).header("X-Forwarded-Proto")).isEqualTo("http");
            String modernCount = "cutover_router_requests_seconds_count{backend=\"modern\",route=\"new-api\",status=\"2xx\",}";
            String legacyCount = "cutover_router_requests_seconds_count{backend=\"legacy\",route=\"default\",status=\"2xx\",}";
            // a request is counted when its exchange completes, a moment after the client has the response
            RouterFixture.eventually(Duration.ofSeconds(5), () -> r.metric(modernCount) == 3.0 && r.metric(legacyCount) == 1.0);
            assertThat(r.metric(modernCount)).isEqualTo(3.0);
            assertThat(r.metric(legacyCount)).isEqualTo(1.0);
        }
    }

    @Test
    void curlSpeaksHttp2ThroughTheRouter() throws Exception {
        TestCerts.Pair pair = TestCerts.make(dir.resolve("tls"), "router-test");
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(yaml(legacy, modern, "1m"), dir)) {
            Process p = new ProcessBuilder("curl", "-s", "--http2", "--cacert", pair.cert().toString(),
                    "-w", "\n%{http_version}", "https://localhost:" + r.router.tlsPort() + "/api/curl")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(out).isEqualTo("modern GET /api/curl\n2");
        }
    }

    @Test
    void aChangedCertificateIsServedWithoutARestartAndABrokenOneIsNot() throws Exception {
        Path tls = dir.resolve("tls");
        TestCerts.make(tls, "first");
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(yaml(legacy, modern, "100ms"), dir)) {
            int port = r.router.tlsPort();
            assertThat(servedSubject(port)).isEqualTo("CN=first");

            // a renewal written in place: the router picks it up on its next look at the files
            Path next = dir.resolve("next");
            TestCerts.make(next, "second");
            Files.copy(next.resolve("key.pem"), tls.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(next.resolve("cert.pem"), tls.resolve("cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(RouterFixture.eventually(Duration.ofSeconds(10), () -> subjectOrNull(port).equals("CN=second"))).isTrue();

            // a key that belongs to another certificate: the last good pair stays, the failure is counted
            Path other = dir.resolve("other");
            TestCerts.make(other, "third");
            Files.copy(other.resolve("cert.pem"), tls.resolve("cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(RouterFixture.eventually(Duration.ofSeconds(10),
                    () -> r.metric("cutover_router_tls_reload_failures_total") >= 1)).isTrue();
            assertThat(servedSubject(port)).isEqualTo("CN=second");
            assertThat(r.metric("cutover_router_tls_reloads_total")).isEqualTo(1.0);
        }
    }

    private static String subjectOrNull(int port) {
        try {
            return servedSubject(port);
        } catch (Exception e) {
            return "";
        }
    }

    /** The subject of the certificate the router presents (trusting anything: only the name is looked at). */
    private static String servedSubject(int port) throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[]{new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocketFactory f = ctx.getSocketFactory();
        try (SSLSocket s = (SSLSocket) f.createSocket("127.0.0.1", port)) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @Test
    void badCertificateFilesAreOneLineUsageErrors() throws Exception {
        TestCerts.Pair pair = TestCerts.make(dir.resolve("tls"), "a");
        TestCerts.Pair other = TestCerts.make(dir.resolve("other"), "b");
        Files.writeString(dir.resolve("garbage.pem"), "<html>not a certificate</html>\n");
        Files.createDirectories(dir.resolve("a-directory"));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("cert: tls/nope.pem, key: tls/key.pem", "certificate file " + dir.resolve("tls/nope.pem") + " does not exist");
        cases.put("cert: a-directory, key: tls/key.pem", "cannot read the certificate file");
        cases.put("cert: garbage.pem, key: tls/key.pem", "holds no PEM certificate");
        cases.put("cert: tls/cert.pem, key: tls/cert.pem", "holds no PEM private key");
        cases.put("cert: tls/cert.pem, key: other/key.pem", "does not belong to the certificate");
        cases.put("key: tls/key.pem", "listen_tls.cert: missing");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String yaml = """
                    listen: 127.0.0.1:0
                    listen_tls: {address: "127.0.0.1:0", %s}
                    backends: {app: {url: "http://127.0.0.1:1"}}
                    default: app
                    """.formatted(c.getKey());
            assertThatThrownBy(() -> RouterFixture.settings(yaml, dir, Map.of())).as(c.getKey())
                    .isInstanceOf(CutoverException.class)
                    .hasMessageContaining(c.getValue())
                    .hasMessageStartingWith("router.yaml: listen_tls")
                    .satisfies(e -> assertThat(((CutoverException) e).exitCode().code()).isEqualTo(2))
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(pair.cert()).exists();
        assertThat(other.key()).exists();
    }

    @Test
    void aPkcs1RsaKeyIsReadToo() throws Exception {
        TestCerts.Pair pair = TestCerts.make(dir.resolve("tls"), "pkcs1");
        TestCerts.run(dir, List.of("openssl", "rsa", "-traditional", "-in", pair.key().toString(), "-out",
                dir.resolve("tls/rsa.pem").toString()));
        assertThat(Files.readString(dir.resolve("tls/rsa.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        var s = RouterFixture.settings("""
                listen: 127.0.0.1:0
                listen_tls: {address: "127.0.0.1:0", cert: tls/cert.pem, key: tls/rsa.pem}
                backends: {app: {url: "http://127.0.0.1:1"}}
                default: app
                """, dir, Map.of());
        assertThat(s.listenTls().pair().subject()).isEqualTo("CN=pkcs1");
    }

    /** A Jetty backend over TLS with {@code pair}, answering "secure PATH X-Forwarded-Proto". */
    private static org.eclipse.jetty.server.Server tlsBackend(TestCerts.Pair pair) throws Exception {
        org.eclipse.jetty.server.Server server = new org.eclipse.jetty.server.Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(io.cutover.router.tls.PemKeyPair.read(pair.cert(), pair.key()).keyStore());
        ssl.setKeyStorePassword(io.cutover.router.tls.PemKeyPair.STORE_PASSWORD);
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer());
        org.eclipse.jetty.server.ServerConnector c = new org.eclipse.jetty.server.ServerConnector(server, ssl,
                new org.eclipse.jetty.server.HttpConnectionFactory(http));
        c.setHost("127.0.0.1");
        server.addConnector(c);
        server.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  org.eclipse.jetty.util.Callback callback) {
                org.eclipse.jetty.io.Content.Sink.write(response, true, "secure " + request.getHttpURI().getPathQuery() + " "
                        + request.isSecure(), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    @Test
    void anHttpsBackendIsReachedWithItsCaFileAndRefusedWithoutIt() throws Exception {
        TestCerts.Pair backendPair = TestCerts.make(dir.resolve("backend"), "backend");
        org.eclipse.jetty.server.Server backend = tlsBackend(backendPair);
        int port = ((org.eclipse.jetty.server.ServerConnector) backend.getConnectors()[0]).getLocalPort();
        try {
            String yaml = """
                    listen: 127.0.0.1:0
                    backends:
                      secure: {url: "https://localhost:%d", %s}
                    default: secure
                    """;
            try (RouterFixture r = new RouterFixture(yaml.formatted(port, "ca: backend/cert.pem"), dir)) {
                HttpResponse<String> a = r.get("/orders?page=2"); // arrives on the forwarding path, goes on by the handler chain
                assertThat(a.statusCode()).isEqualTo(200);
                assertThat(a.body()).isEqualTo("secure /orders?page=2 true");
                assertThat(r.get("/again").body()).isEqualTo("secure /again true");
            }
            // without the CA file the backend's certificate is not trusted: a 502, never a plain-text fallback
            try (RouterFixture r = new RouterFixture(yaml.formatted(port, "timeout: 5s"), dir)) {
                HttpResponse<String> a = r.get("/orders");
                assertThat(a.statusCode()).isEqualTo(502);
                assertThat(a.body()).startsWith("502 Bad Gateway: route 'default'").doesNotContain("127.0.0.1").doesNotContain("Exception");
            }
            assertThatThrownBy(() -> RouterFixture.settings(yaml.formatted(port, "ca: backend/none.pem"), dir, Map.of()))
                    .hasMessageContaining("backends.secure.ca: CA file").hasMessageContaining("does not exist");
            assertThatThrownBy(() -> RouterFixture.settings(yaml.formatted(port, "ca: backend/cert.pem").replace("https:", "http:"), dir, Map.of()))
                    .hasMessageContaining("backends.secure.ca: only an https:// backend takes a CA file");
        } finally {
            backend.stop();
        }
    }

    @Test
    void theHeaderTimeoutClosesASilentTlsHandshakeAndAStalledHeadInsideTls() throws Exception {
        TestCerts.Pair pair = TestCerts.make(dir.resolve("tls"), "router-test");
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(yaml(legacy, modern, "1m")
                     + "limits: {client_header_timeout: 3s, client_idle_timeout: 60s}\n", dir)) { // room for a handshake on a busy machine
            int port = r.router.tlsPort();
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) { // connects, never says hello
                raw.setSoTimeout(20_000);
                assertThat(raw.getInputStream().read()).as("the router closes a silent handshake").isEqualTo(-1);
            }
            SSLSocketFactory f = TestCerts.trusting(pair.cert()).getSocketFactory();
            try (SSLSocket s = (SSLSocket) f.createSocket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                javax.net.ssl.SSLParameters p = s.getSSLParameters();
                p.setApplicationProtocols(new String[]{"http/1.1"});
                p.setEndpointIdentificationAlgorithm(null);
                s.setSSLParameters(p);
                s.startHandshake();
                s.getOutputStream().write("GET /api/x HTTP/1.1\r\nHost: slow\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                int b;
                try {
                    b = s.getInputStream().read();
                } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
                    b = -1; // closed without close_notify
                }
                assertThat(b).as("the router closes a head stalled inside TLS").isEqualTo(-1);
            }
            assertThat(modern.seen()).isEmpty();
        }
    }

    @Test
    void requestsOverHttp2AreShadowedTooAndCopiesReachAnHttpsShadow() throws Exception {
        TestCerts.Pair front = TestCerts.make(dir.resolve("tls"), "router-test");
        TestCerts.make(dir.resolve("backend"), "backend");
        org.eclipse.jetty.server.Server secure = tlsBackend(new TestCerts.Pair(dir.resolve("backend/cert.pem"), dir.resolve("backend/key.pem")));
        int securePort = ((org.eclipse.jetty.server.ServerConnector) secure.getConnectors()[0]).getLocalPort();
        try (TestBackend legacy = new TestBackend("legacy");
             RouterFixture r = new RouterFixture("""
                     listen: 127.0.0.1:0
                     listen_tls: {address: "127.0.0.1:0", cert: tls/cert.pem, key: tls/key.pem}
                     backends:
                       legacy: {url: "%s"}
                       secure: {url: "https://localhost:%d", ca: backend/cert.pem}
                     default: legacy
                     routes:
                       - name: pages
                         path: '^/'
                         to: legacy
                         shadow: {to: secure, diffs: diffs.jsonl, noise_sample: 0%%}
                     """.formatted(legacy.url(), securePort), dir)) {
            HttpClient h2 = h2Client(front.cert());
            try {
                ContentResponse a = h2.newRequest("https://localhost:" + r.router.tlsPort() + "/over-h2").timeout(10, TimeUnit.SECONDS).send();
                assertThat(a.getVersion()).isEqualTo(HttpVersion.HTTP_2);
                assertThat(a.getContentAsString()).isEqualTo("legacy GET /over-h2");
            } finally {
                h2.stop();
            }
            assertThat(r.get("/over-h1").body()).isEqualTo("legacy GET /over-h1");
            assertThat(RouterFixture.eventually(Duration.ofSeconds(10),
                    () -> r.metric("cutover_router_shadow_compared_total{route=\"pages\",}") == 2)).isTrue();
            // the copies reached the https:// shadow (its answers differ from legacy's in the body)
            assertThat(r.metric("cutover_router_shadow_differences_total{field=\"body\",route=\"pages\",}")).isEqualTo(2.0);
            assertThat(r.metric("cutover_router_shadow_dropped_total{reason=\"shadow_failed\",route=\"pages\",}")).isZero();
        } finally {
            secure.stop();
        }
    }
}
