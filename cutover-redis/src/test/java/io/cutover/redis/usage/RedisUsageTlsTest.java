package io.cutover.redis.usage;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.connect.TlsOptions;
import io.cutover.redis.tls.TestCertificates;
import io.cutover.redis.tls.TlsRedis;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.cutover.redis.usage.RedisUsageTest.b;
import static org.assertj.core.api.Assertions.assertThat;

/** MONITOR over rediss:// with a client certificate, and an ACL user without +monitor. */
class RedisUsageTlsTest {
    @TempDir
    Path dir;

    @Test
    void samplesOverTlsWithAClientCertificateAndFallsBackForAUserWithoutMonitor() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        try (TlsRedis server = TlsRedis.start(certs, "--tls-auth-clients", "yes");
             RedisUsageTest.App app = RedisUsageTest.App.connect(server.plain(), 4, "tls-app")) {
            app.r().aclSetuser("ops", AclSetuserArgs.Builder.on().addPassword("ops-pass").keyPattern("*")
                    .allCommands());
            app.r().aclSetuser("app", AclSetuserArgs.Builder.on().addPassword("app-pass").keyPattern("*")
                    .allCommands().removeCommand(CommandType.MONITOR));
            TlsOptions tls = new TlsOptions(certs.ca(), certs.clientCert(), certs.clientKey(), false);
            try (RedisEndpoint ops = new RedisEndpoint(RedisUri.parse(server.tlsUri("ops:ops-pass"), null, "--uri"),
                    "server", tls)) {
                UsageReport report = RedisUsageTest.sample(ops, server.plain(), Duration.ofMillis(3000),
                        RedisUsageTest.MONITORING, () -> app.r().set(b("tls:1"), b("v")));
                assertThat(report.source()).isEqualTo(UsageSource.MONITOR);
                assertThat(report.usage()).map(RedisUsageTest::row).containsExactly("tls-app db4 tls: r0 w1");
            }
            try (RedisEndpoint limited = new RedisEndpoint(RedisUri.parse(server.tlsUri("app:app-pass"), null,
                    "--uri"), "server", tls)) {
                UsageReport report = RedisUsageTest.sample(limited, server.plain(), Duration.ofMillis(3000),
                        RedisUsageTest.LISTED, () -> app.r().get(b("tls:1")));
                assertThat(report.source()).isEqualTo(UsageSource.CLIENT_LIST);
                assertThat(((UsageReport.Fallback) report.details()).refusal()).startsWith("NOPERM");
                assertThat(((UsageReport.Fallback) report.details()).server().reads()).containsEntry("get", 1L);
            }
        }
    }
}
