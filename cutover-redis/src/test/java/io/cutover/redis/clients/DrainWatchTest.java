package io.cutover.redis.clients;

import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.inventory.TestData;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.redis.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DrainWatchTest {

    /** A client of {@code server} named {@code name}, selecting {@code db}: an application still connected. */
    private static RedisClient app(LocalRedisServer server, int db) {
        return RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port()).withDatabase(db)
                .withLibraryName("").withLibraryVersion("").build());
    }

    private static StatefulRedisConnection<String, String> connect(RedisClient client, String name) {
        client.setOptions(io.lettuce.core.ClientOptions.builder()
                .protocolVersion(io.lettuce.core.protocol.ProtocolVersion.RESP2).build());
        StatefulRedisConnection<String, String> c = client.connect();
        c.sync().clientSetname(name);
        c.sync().ping();
        return c;
    }

    @ParameterizedTest
    @EnumSource(TestRedis.class)
    void listsOtherClientsGroupedAndReturnsWhenTheyLeave(TestRedis version) throws Exception {
        try (LocalRedisServer server = version.startManaged();
             RedisEndpoint endpoint = TestData.endpoint(server, -1, "source")) {
            RedisClient client = app(server, 2);
            try (OtherClients others = new OtherClients(endpoint, List.of())) {
                assertThat(others.list().clients()).isEmpty(); // ourselves left out
                StatefulRedisConnection<String, String> a = connect(client, "legacy-app");
                StatefulRedisConnection<String, String> b = connect(client, "legacy-app");
                ClientList list = others.list();
                assertThat(list.clients()).hasSize(2).allSatisfy(c -> {
                    assertThat(c.name()).isEqualTo("legacy-app");
                    assertThat(c.db()).isEqualTo(2);
                    assertThat(c.host()).isEqualTo("127.0.0.1");
                });
                assertThat(list.groups()).singleElement().satisfies(g -> {
                    assertThat(g.count()).isEqualTo(2);
                    assertThat(g.name()).isEqualTo("legacy-app");
                    assertThat(g.db()).isEqualTo(2);
                });
                assertThat(list.table()).contains("legacy-app").contains("2 clients connected");

                CountDownLatch polled = new CountDownLatch(2);
                CompletableFuture<DrainResult> watch = CompletableFuture.supplyAsync(() ->
                        new DrainWatch(others, Duration.ofMillis(100)).await(Duration.ofSeconds(30), l -> polled.countDown()));
                assertThat(polled.await(10, TimeUnit.SECONDS)).isTrue();
                a.close();
                b.close();
                DrainResult result = watch.get(30, TimeUnit.SECONDS);
                assertThat(result.drained()).isTrue();
                assertThat(result.remaining().clients()).isEmpty();
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void aClientThatNeverLeavesIsNamedAtTheTimeoutAndIgnoredOnesDontCount() {
        try (LocalRedisServer server = TestRedis.V7.startManaged();
             RedisEndpoint endpoint = TestData.endpoint(server, -1, "source")) {
            RedisClient client = app(server, 0);
            try (StatefulRedisConnection<String, String> stuck = connect(client, "batch-job-17");
                 StatefulRedisConnection<String, String> monitor = connect(client, "monitoring")) {
                try (OtherClients others = new OtherClients(endpoint, List.of("monitoring"))) {
                    DrainResult result = new DrainWatch(others, Duration.ofMillis(100)).await(Duration.ofMillis(500), null);
                    assertThat(result.drained()).isFalse();
                    assertThat(result.remaining().clients()).singleElement()
                            .satisfies(c -> assertThat(c.name()).isEqualTo("batch-job-17"));
                }
                String addr = stuck.sync().clientList().lines().filter(l -> l.contains("name=batch-job-17"))
                        .map(ClientInfo::parse).findFirst().orElseThrow().addr();
                try (OtherClients others = new OtherClients(endpoint, List.of("monitoring", addr))) {
                    assertThat(others.list().clients()).isEmpty();
                }
                try (OtherClients others = new OtherClients(endpoint, List.of("127.0.0.1"))) {
                    assertThat(others.list().clients()).isEmpty(); // a host ignores every connection from it
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void parsesClientListLines() {
        ClientList list = ClientList.parse("id=3 addr=10.0.0.5:51234 fd=8 name= age=120 idle=7 flags=N db=1 sub=0 "
                + "psub=0 multi=-1 qbuf=0 qbuf-free=0 obl=0 oll=0 omem=0 events=r cmd=get\n"
                + "id=4 addr=10.0.0.5:51240 fd=9 name= age=30 idle=2 flags=N db=1 cmd=set\n"
                + "id=5 addr=[::1]:6000 fd=9 name=worker age=5 idle=5 flags=N db=0 cmd=blpop\n");
        assertThat(list.clients()).hasSize(3);
        assertThat(list.clients().get(2).host()).isEqualTo("::1");
        assertThat(list.groups()).first().isEqualTo(new ClientGroup("10.0.0.5", "", 1, 2, 2, 120));
    }
}
