package io.cutover.cli.redis;

import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.cutover.cli.redis.LiveCliSupport.dbsize;
import static io.cutover.cli.redis.LiveCliSupport.fill;
import static io.cutover.cli.redis.LiveCliSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code cutover redis copy} from a TLS source (Debian's redis-server, openssl-made certificates) and an ACL user. */
@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class TlsCopyCommandTest {
    @TempDir
    static Path dir;
    static LocalRedisServer source;
    static int tlsPort;
    static LocalRedisServer target;

    @BeforeAll
    static void start() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=Cutover Test CA");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.crt", "-days", "2",
                "-subj", "/CN=Other CA");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
        tlsPort = LocalRedisServer.freePort();
        source = LocalRedisServer.start(Redis7.binary(), "--tls-port", String.valueOf(tlsPort),
                "--tls-cert-file", dir.resolve("server.crt").toString(), "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "optional");
        target = LocalRedisServer.start(Redis7.binary());
        fill(source, 20);
        try (RedisClient c = RedisClient.create(source.uri()); StatefulRedisConnection<String, String> conn = c.connect()) {
            conn.sync().aclSetuser("app", AclSetuserArgs.Builder.on().addPassword("app-pass").keyPattern("*").allCommands()
                    .allChannels());
        }
    }

    @AfterAll
    static void stop() {
        source.close();
        target.close();
    }

    @Test
    void copiesOverTlsWithTheGivenCaAndAnAclUser() {
        LiveCliSupport.Result r = run("redis", "copy", "--source", "rediss://app:app-pass@127.0.0.1:" + tlsPort + "/0",
                "--tls-ca", dir.resolve("ca.crt").toString(), "--target", target.uri(0), "--replace");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("copied +20\n").doesNotContain("app-pass");
        assertThat(dbsize(target)).isEqualTo(20);
    }

    @Test
    void aCertificateFromAnotherCaFailsWithOneLineAndExitTwo() {
        LiveCliSupport.Result r = run("redis", "copy", "--source", "rediss://127.0.0.1:" + tlsPort + "/0",
                "--tls-ca", dir.resolve("other.crt").toString(), "--target", target.uri(0));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("cutover: source 127.0.0.1:" + tlsPort + ": TLS handshake failed: the server "
                + "certificate is not trusted (give its CA with --tls-ca, or --tls-insecure to skip checks)\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void insecureSkipsVerificationWhenAskedFor() {
        LiveCliSupport.Result r = run("redis", "copy", "--source", "rediss://127.0.0.1:" + tlsPort + "/0",
                "--tls-insecure", "--target", target.uri(0), "--replace", "--include", "session:1*");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("copied +11\n");
    }

    @Test
    void wrongAclPasswordIsAUsageErrorWithoutThePassword() {
        LiveCliSupport.Result r = run("redis", "copy", "--source", "rediss://app:not-it@127.0.0.1:" + tlsPort + "/0",
                "--tls-ca", dir.resolve("ca.crt").toString(), "--target", target.uri(0));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("cutover: source 127.0.0.1:" + tlsPort + ": authentication failed")
                .doesNotContain("not-it");
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
