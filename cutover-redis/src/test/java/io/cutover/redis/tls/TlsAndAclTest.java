package io.cutover.redis.tls;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.connect.TlsOptions;
import io.cutover.core.progress.Progress;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.RedisCopy;
import io.cutover.redis.testing.TestRedis;
import io.cutover.redis.verify.DiffKind;
import io.cutover.redis.verify.RedisVerify;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** rediss:// with a CA, client certificates, --tls-insecure, certificate mismatches, and Redis 6+ ACL users. */
@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class TlsAndAclTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TlsRedis server;

    @BeforeAll
    static void start() {
        certs = TestCertificates.generate(dir);
        server = TlsRedis.start(certs);
        try (RedisEndpoint admin = plain(); StatefulRedisConnection<byte[], byte[]> c = admin.connect()) {
            // an application user limited to app:* keys, as a managed service would give us
            c.sync().aclSetuser("app", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("app-pass")
                    .keyPattern("*").allCommands().allChannels());
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void trustedCaConnectsAndReadsAndWrites() {
        try (RedisEndpoint e = endpoint(server.tlsUri(null), new TlsOptions(certs.ca(), null, null, false));
             StatefulRedisConnection<byte[], byte[]> c = e.connect(1)) {
            assertThat(e.info().major()).isEqualTo(7);
            c.sync().set(b("tls:k"), b("v"));
            assertThat(new String(c.sync().get(b("tls:k")), StandardCharsets.UTF_8)).isEqualTo("v");
        }
        try (RedisEndpoint admin = plain(); StatefulRedisConnection<byte[], byte[]> c = admin.connect(1)) {
            assertThat(c.sync().exists(b("tls:k"))).isEqualTo(1L);
        }
    }

    @Test
    void untrustedCaFailsWithOneLineConfigurationError() {
        try (RedisEndpoint e = endpoint(server.tlsUri(null), new TlsOptions(certs.otherCa(), null, null, false))) {
            assertThatThrownBy(e::info).isInstanceOfSatisfying(CutoverException.class, ex -> {
                assertThat(ex.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(ex.getMessage()).startsWith("source 127.0.0.1:" + server.tlsPort() + ": TLS handshake failed")
                        .contains("not trusted").contains("--tls-ca").doesNotContain("\n");
            });
        }
    }

    @Test
    void defaultTrustStoreDoesNotTrustAPrivateCa() {
        try (RedisEndpoint e = endpoint(server.tlsUri(null), TlsOptions.defaults())) {
            assertThatThrownBy(e::info).isInstanceOfSatisfying(CutoverException.class, ex ->
                    assertThat(ex.exitCode()).isEqualTo(ExitCode.USAGE));
        }
    }

    @Test
    void insecureSkipsVerificationOnlyWhenAskedFor() {
        try (RedisEndpoint e = endpoint(server.tlsUri(null), new TlsOptions(certs.otherCa(), null, null, true))) {
            assertThat(e.info().major()).isEqualTo(7);
        }
    }

    @Test
    void certificateForAnotherHostIsRefused() {
        try (TlsRedis other = TlsRedis.start(certs, certs.wrongHostCert(), certs.wrongHostKey());
             RedisEndpoint e = endpoint(other.tlsUri(null), new TlsOptions(certs.ca(), null, null, false))) {
            assertThatThrownBy(e::info).isInstanceOfSatisfying(CutoverException.class, ex -> {
                assertThat(ex.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(ex.getMessage()).contains("TLS handshake failed").contains("does not match")
                        .doesNotContain("\n");
            });
        }
    }

    @Test
    void clientCertificateIsPresentedWhenTheServerRequiresOne() {
        try (TlsRedis strict = TlsRedis.start(certs, "--tls-auth-clients", "yes")) {
            try (RedisEndpoint without = endpoint(strict.tlsUri(null), new TlsOptions(certs.ca(), null, null, false))) {
                assertThatThrownBy(without::info).isInstanceOfSatisfying(CutoverException.class, ex ->
                        assertThat(ex.getMessage()).contains("client certificate").doesNotContain("\n"));
            }
            try (RedisEndpoint with = endpoint(strict.tlsUri(null),
                    new TlsOptions(certs.ca(), certs.clientCert(), certs.clientKey(), false))) {
                assertThat(with.info().major()).isEqualTo(7);
            }
        }
    }

    @Test
    void aclUserAuthenticatesOverTls() {
        try (RedisEndpoint e = endpoint(server.tlsUri("app:app-pass"), new TlsOptions(certs.ca(), null, null, false));
             StatefulRedisConnection<byte[], byte[]> c = e.connect(2)) {
            RedisCommands<byte[], byte[]> r = c.sync();
            r.set(b("acl:k"), b("1"));
            assertThat(r.aclWhoami()).isEqualTo("app");
            assertThat(e.toString()).doesNotContain("app-pass");
        }
    }

    @Test
    void aclUserOnPlainConnectionAndWrongPassword() {
        String plainUri = "redis://app:app-pass@127.0.0.1:" + server.plain().port();
        try (RedisEndpoint e = endpoint(plainUri, TlsOptions.defaults());
             StatefulRedisConnection<byte[], byte[]> c = e.connect()) {
            assertThat(c.sync().aclWhoami()).isEqualTo("app");
        }
        try (RedisEndpoint e = endpoint("redis://app:nope@127.0.0.1:" + server.plain().port(), TlsOptions.defaults())) {
            assertThatThrownBy(e::info).isInstanceOfSatisfying(CutoverException.class, ex -> {
                assertThat(ex.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(ex.getMessage()).contains("authentication failed").doesNotContain("nope");
            });
        }
    }

    /** Copy and verify run on bare RESP connections, which speak TLS with the same checks as Lettuce. */
    @Test
    void copyAndVerifyRunOverTls() {
        try (RedisEndpoint admin = plain(); StatefulRedisConnection<byte[], byte[]> c = admin.connect(4)) {
            for (int i = 0; i < 300; i++) {
                c.sync().set(b("tls:copy:" + i), b("value " + i));
            }
            c.sync().hset(b("tls:copy:hash"), b("f"), b("v"));
            c.sync().pexpire(b("tls:copy:hash"), 600_000);
        }
        try (LocalRedisServer dst = TestRedis.V7.start();
             RedisEndpoint source = endpoint(server.tlsUri("app:app-pass").replaceFirst("/?$", "/4"),
                     new TlsOptions(certs.ca(), null, null, false));
             RedisEndpoint target = new RedisEndpoint(RedisUri.parse(dst.uri(0), null, "--target"), "target")) {
            CopyReport copied = new RedisCopy(source, target, CopyOptions.defaults(), Progress.silent()).run();
            assertThat(copied.copied()).isEqualTo(301);
            VerifyReport same = new RedisVerify(source, target, VerifyOptions.defaults()).run();
            assertThat(same.identical()).isTrue();
            assertThat(same.checked()).isEqualTo(301);
            try (StatefulRedisConnection<byte[], byte[]> t = target.connect(0)) {
                t.sync().set(b("tls:copy:7"), b("changed"));
            }
            assertThat(new RedisVerify(source, target, VerifyOptions.defaults()).run().differences())
                    .containsEntry(DiffKind.VALUE, 1L);
        }
    }

    @Test
    void bareRespConnectionsCheckCertificatesAsLettuceDoes() {
        try (RedisEndpoint e = endpoint(server.tlsUri(null), new TlsOptions(certs.otherCa(), null, null, false))) {
            assertThatThrownBy(() -> e.openPipe(0)).isInstanceOfSatisfying(CutoverException.class, ex -> {
                assertThat(ex.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(ex.getMessage()).contains("TLS handshake failed").contains("not trusted").doesNotContain("\n");
            });
        }
        try (RedisEndpoint e = endpoint(server.tlsUri(null), new TlsOptions(certs.otherCa(), null, null, true))) {
            e.openPipe(0).close(); // --tls-insecure
        }
        try (TlsRedis other = TlsRedis.start(certs, certs.wrongHostCert(), certs.wrongHostKey());
             RedisEndpoint e = endpoint(other.tlsUri(null), new TlsOptions(certs.ca(), null, null, false))) {
            assertThatThrownBy(() -> e.openPipe(0)).isInstanceOfSatisfying(CutoverException.class, ex ->
                    assertThat(ex.getMessage()).contains("TLS handshake failed").contains("does not match"));
        }
        try (TlsRedis strict = TlsRedis.start(certs, "--tls-auth-clients", "yes")) {
            try (RedisEndpoint without = endpoint(strict.tlsUri(null), new TlsOptions(certs.ca(), null, null, false))) {
                assertThatThrownBy(() -> without.openPipe(0).integer()).isInstanceOf(Exception.class);
            }
            try (RedisEndpoint with = endpoint(strict.tlsUri(null),
                    new TlsOptions(certs.ca(), certs.clientCert(), certs.clientKey(), false))) {
                with.openPipe(0).close();
            }
        }
    }

    private static RedisEndpoint plain() {
        return new RedisEndpoint(RedisUri.parse(server.plain().uri(), null, "--target"), "admin");
    }

    private static RedisEndpoint endpoint(String uri, TlsOptions tls) {
        return new RedisEndpoint(RedisUri.parse(uri, null, "--source"), "source", tls);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
