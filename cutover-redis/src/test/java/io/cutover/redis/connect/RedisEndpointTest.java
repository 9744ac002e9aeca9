package io.cutover.redis.connect;

import io.cutover.core.error.CutoverException;
import io.cutover.core.error.ExitCode;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisEndpointTest {

    @ParameterizedTest
    @EnumSource(TestRedis.class)
    void readsVersionAndCapabilitiesOfEachServer(TestRedis version) {
        try (LocalRedisServer server = version.startManaged();
             RedisEndpoint endpoint = new RedisEndpoint(RedisUri.parse(server.uri(2), null, "--source"), "source")) {
            ServerInfo info = endpoint.info();
            switch (version) {
                case V2_8 -> {
                    assertThat(info.version()).isEqualTo("2.8.19");
                    assertThat(info.hasUnlink()).isFalse();
                    assertThat(info.hasRestoreReplace()).isFalse();
                    assertThat(info.rdbVersion()).isEqualTo(6);
                }
                case V6_2 -> {
                    assertThat(info.version()).startsWith("6.2.");
                    assertThat(info.rdbVersion()).isEqualTo(9);
                    assertThat(info.hasWritePause()).isTrue();
                }
                case V7 -> {
                    assertThat(info.major()).isEqualTo(7);
                    assertThat(info.rdbVersion()).isGreaterThanOrEqualTo(10);
                }
            }
            try (StatefulRedisConnection<byte[], byte[]> c = endpoint.connect()) {
                c.sync().set(b("k"), b("v"));
                byte[] dump = c.sync().dump(b("k"));
                assertThat(ServerInfo.payloadRdbVersion(dump)).isEqualTo(info.rdbVersion());
                // the managed-style server really refuses what we must never use
                assertThatThrownBy(() -> c.sync().configGet("*")).isInstanceOf(RedisCommandExecutionException.class);
            }
            assertThat(endpoint.refreshInfo().keysPerDb()).containsEntry(2, 1L);
        }
    }

    @Test
    void wrongPasswordIsAConfigurationError() {
        try (LocalRedisServer server = TestRedis.V7.start("--requirepass", "s3cret");
             RedisEndpoint endpoint = new RedisEndpoint(
                     RedisUri.parse("redis://:wrong@127.0.0.1:" + server.port(), null, "--target"), "target")) {
            assertThatThrownBy(endpoint::info).isInstanceOfSatisfying(CutoverException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(e.getMessage()).startsWith("target 127.0.0.1:" + server.port() + ": authentication failed")
                        .doesNotContain("wrong");
            });
        }
    }

    @Test
    void passwordForAServerWithoutOneIsAConfigurationError() {
        try (LocalRedisServer server = TestRedis.V7.start();
             RedisEndpoint endpoint = new RedisEndpoint(
                     RedisUri.parse("redis://:stray@127.0.0.1:" + server.port(), null, "--source"), "source")) {
            assertThatThrownBy(endpoint::info).isInstanceOfSatisfying(CutoverException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                assertThat(e.getMessage()).startsWith("source 127.0.0.1:" + server.port() + ": authentication failed")
                        .doesNotContain("stray");
            });
        }
    }

    @Test
    void passwordFromEnvironmentFallbackIsUsed() {
        try (LocalRedisServer server = TestRedis.V2_8.start("--requirepass", "s3cret");
             RedisEndpoint endpoint = new RedisEndpoint(RedisUri.parse(server.uri(), "s3cret", "--source"), "source")) {
            assertThat(endpoint.info().version()).isEqualTo("2.8.19");
            assertThat(endpoint.toString()).doesNotContain("s3cret").contains(":***@");
        }
    }

    @Test
    void unreachableHostIsARuntimeFailure() {
        int port = LocalRedisServer.freePort();
        try (RedisEndpoint endpoint = new RedisEndpoint(RedisUri.parse("redis://127.0.0.1:" + port, null, "--source"), "source")) {
            assertThatThrownBy(endpoint::info).isInstanceOfSatisfying(CutoverException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.RUNTIME);
                assertThat(e.getMessage()).isEqualTo("source 127.0.0.1:" + port + ": cannot connect (connection refused)");
            });
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
