package io.cutover.router;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.cutover.router.session.SessionKeys;
import io.cutover.router.session.SessionTokenVerifier;
import io.cutover.router.support.RouterFixture;
import io.cutover.router.support.TestBackend;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTest {
    static final String KEY = "0123456789abcdef0123456789abcdef-test-key";
    static final AtomicInteger calls = new AtomicInteger();
    static Server sessions;
    static int sessionsPort;
    @TempDir
    Path dir;

    @BeforeAll
    static void startSessionService() throws Exception {
        sessions = new Server();
        ServerConnector c = new ServerConnector(sessions, 1, 1);
        c.setHost("127.0.0.1");
        sessions.addConnector(c);
        sessions.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                calls.incrementAndGet();
                String path = request.getHttpURI().getPath();
                switch (path) {
                    case "/sessions/alice-cookie" -> Content.Sink.write(response, true,
                            "{\"sub\":\"alice\",\"shop_ids\":[10,25],\"iss\":\"evil\"}", callback);
                    case "/sessions/boom" -> {
                        response.setStatus(500);
                        callback.succeeded();
                    }
                    default -> {
                        response.setStatus(404);
                        callback.succeeded();
                    }
                }
                return true;
            }
        });
        sessions.start();
        sessionsPort = c.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        sessions.stop();
    }

    private String config(TestBackend legacy, TestBackend modern, String alg, String onError) {
        return """
                listen: 127.0.0.1:0
                backends:
                  legacy: {url: "%s"}
                  modern: {url: "%s"}
                default: legacy
                routes:
                  - {name: new, path: '^/new/', to: modern}
                session:
                  cookie: SESSION
                  resolve: "http://127.0.0.1:%d/sessions/{cookie}"
                  cache: 30s
                  on_error: %s
                  token: {header: X-Session-Token, issuer: cutover, audience: modern, ttl: 60s, key: '${SESSION_JWT_KEY}', alg: %s}
                  for: [modern]
                """.formatted(legacy.url(), modern.url(), sessionsPort, onError, alg);
    }

    private static HttpRequest.Builder get(RouterFixture r, String path, String cookie, String spoof) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(r.url(path)));
        if (cookie != null) {
            b.header("Cookie", "theme=dark; SESSION=" + cookie);
        }
        if (spoof != null) {
            b.header("X-Session-Token", spoof);
        }
        return b;
    }

    @Test
    void tokenIsSignedForModernVerifiesAndSpoofedHeadersAreStripped() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(config(legacy, modern, "HS256", "anonymous"), dir,
                     Map.of("SESSION_JWT_KEY", KEY))) {
            SessionTokenVerifier verifier = SessionTokenVerifier.hs256(KEY, "cutover", "modern");
            int before = calls.get();
            assertThat(r.send(get(r, "/new/menu", "alice-cookie", "forged.token.value")).statusCode()).isEqualTo(200);
            assertThat(r.send(get(r, "/new/menu", "alice-cookie", null)).statusCode()).isEqualTo(200);
            assertThat(calls.get() - before).as("second request served from the cache").isEqualTo(1);
            TestBackend.Seen first = modern.seen().poll(5, TimeUnit.SECONDS);
            String token = first.header("X-Session-Token");
            assertThat(token).isNotEqualTo("forged.token.value");
            Map<String, Object> claims = verifier.verify(token);
            assertThat(claims.get("sub")).isEqualTo("alice");
            assertThat(claims.get("iss")).isEqualTo("cutover");
            assertThat((List<?>) claims.get("shop_ids")).hasSize(2);
            assertThat(first.header("Cookie")).contains("SESSION=alice-cookie");
            // both paths add the same cached token: the forwarding path's GET above, the handler chain's POST here
            assertThat(modern.seen().poll(5, TimeUnit.SECONDS).header("X-Session-Token")).isEqualTo(token);
            assertThat(r.send(get(r, "/new/order", "alice-cookie", "forged").POST(HttpRequest.BodyPublishers.ofString("x")))
                    .statusCode()).isEqualTo(200);
            TestBackend.Seen posted = modern.seen().poll(5, TimeUnit.SECONDS);
            assertThat(posted.method()).isEqualTo("POST");
            assertThat(posted.header("X-Session-Token")).isEqualTo(token);
            assertThat(calls.get() - before).isEqualTo(1);

            // to a backend not in `for`: the spoofed header is still removed, and no token is added
            r.send(get(r, "/old", "alice-cookie", "forged.token.value"));
            assertThat(legacy.seen().poll(5, TimeUnit.SECONDS).header("X-Session-Token")).isNull();

            // anonymous (404) and no cookie: no token
            modern.seen().clear();
            r.send(get(r, "/new/x", "nobody", "forged"));
            assertThat(modern.seen().poll(5, TimeUnit.SECONDS).header("X-Session-Token")).isNull();
            r.send(get(r, "/new/x", null, "forged"));
            assertThat(modern.seen().poll(5, TimeUnit.SECONDS).header("X-Session-Token")).isNull();
        }
    }

    @Test
    void tamperedExpiredOrForeignTokensAreRejected() throws Exception {
        SessionTokenVerifier verifier = SessionTokenVerifier.hs256(KEY, "cutover", "modern");
        String good = sign(KEY, "cutover", "modern", Instant.now().plusSeconds(60));
        assertThat(verifier.verify(good).get("sub")).isEqualTo("alice");

        String[] parts = good.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("alice", "mallory");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        assertThatThrownBy(() -> verifier.verify(tampered)).hasMessageContaining("bad signature");

        String expired = sign(KEY, "cutover", "modern", Instant.now().minusSeconds(300));
        assertThatThrownBy(() -> verifier.verify(expired)).hasMessageContaining("expired");

        String otherKey = sign("another-key-another-key-another-key!!", "cutover", "modern", Instant.now().plusSeconds(60));
        assertThatThrownBy(() -> verifier.verify(otherKey)).hasMessageContaining("bad signature");
        String otherAudience = sign(KEY, "cutover", "billing", Instant.now().plusSeconds(60));
        assertThatThrownBy(() -> verifier.verify(otherAudience)).hasMessageContaining("audience");
        String otherIssuer = sign(KEY, "someone", "modern", Instant.now().plusSeconds(60));
        assertThatThrownBy(() -> verifier.verify(otherIssuer)).hasMessageContaining("issuer");
        String unsigned = parts[0].replace(parts[0], Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes())) + "." + parts[1] + ".";
        assertThatThrownBy(() -> verifier.verify(unsigned)).isInstanceOf(SessionTokenVerifier.InvalidSessionTokenException.class);
        assertThatThrownBy(() -> verifier.verify("garbage")).hasMessageContaining("not a signed JWT");
    }

    @Test
    void es256TokensVerifyWithThePublicKeyOnly() throws Exception {
        SessionKeys.Es256Pair keys = SessionKeys.newEs256();
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern");
             RouterFixture r = new RouterFixture(config(legacy, modern, "ES256", "anonymous"), dir,
                     Map.of("SESSION_JWT_KEY", keys.privateJwk()))) {
            r.send(get(r, "/new/a", "alice-cookie", null));
            String token = modern.seen().poll(5, TimeUnit.SECONDS).header("X-Session-Token");
            Map<String, Object> claims = SessionTokenVerifier.es256(keys.publicJwk(), "cutover", "modern").verify(token);
            assertThat(claims.get("sub")).isEqualTo("alice");
            SessionKeys.Es256Pair other = SessionKeys.newEs256();
            assertThatThrownBy(() -> SessionTokenVerifier.es256(other.publicJwk(), "cutover", "modern").verify(token))
                    .hasMessageContaining("bad signature");
            assertThatThrownBy(() -> SessionTokenVerifier.hs256(KEY, "cutover", "modern").verify(token))
                    .hasMessageContaining("algorithm");
        }
    }

    @Test
    void sessionServiceFailureIsAnonymousOrRejectAsConfigured() throws Exception {
        try (TestBackend legacy = new TestBackend("legacy"); TestBackend modern = new TestBackend("modern")) {
            try (RouterFixture r = new RouterFixture(config(legacy, modern, "HS256", "anonymous"), dir,
                    Map.of("SESSION_JWT_KEY", KEY))) {
                assertThat(r.send(get(r, "/new/a", "boom", null)).statusCode()).isEqualTo(200);
                assertThat(modern.seen().poll(5, TimeUnit.SECONDS).header("X-Session-Token")).isNull();
            }
            try (RouterFixture r = new RouterFixture(config(legacy, modern, "HS256", "reject"), dir,
                    Map.of("SESSION_JWT_KEY", KEY))) {
                var res = r.send(get(r, "/new/a", "boom", null));
                assertThat(res.statusCode()).isEqualTo(503);
                assertThat(res.body()).contains("session service");
                assertThat(r.send(get(r, "/old", "boom", null)).statusCode()).as("legacy needs no session").isEqualTo(200);
            }
        }
    }

    private static String sign(String key, String iss, String aud, Instant exp) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("alice").issuer(iss).audience(aud).issueTime(new Date()).expirationTime(Date.from(exp)).build());
        jwt.sign(new MACSigner(key.getBytes()));
        return jwt.serialize();
    }
}
