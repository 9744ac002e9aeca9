package io.cutover.cli.redis;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.cli.Cutover;
import io.cutover.core.output.Json;
import io.cutover.testkit.redis.LocalRedisCluster;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.cutover.cli.redis.CopyCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code cutover redis copy|verify --workers-total N --worker I|auto}: output, the index from the engines' variables, bad input. */
@EnabledIf(value = "io.cutover.testkit.redis.RedisBinaries#hasRedis7", disabledReason = RedisBinaries.NO_REDIS7)
class WorkersCommandTest {
    private static LocalRedisCluster cluster;
    private static LocalRedisServer target;

    @BeforeAll
    static void start() {
        cluster = LocalRedisCluster.start(Redis7.binary(), 3);
        target = LocalRedisServer.start(Redis7.binary());
        try (RedisClusterClient client = RedisClusterClient.create(cluster.uri()); var c = client.connect()) {
            for (int i = 0; i < 600; i++) {
                c.sync().set("session:" + i, "v" + i);
            }
            c.sync().set("{user1}:cart", "3 items");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
        target.close();
    }

    @BeforeEach
    void emptyTarget() {
        try (RedisClient client = RedisClient.create(target.uri()); StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
        }
    }

    private static long targetKeys() {
        try (RedisClient client = RedisClient.create(target.uri()); StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().dbsize();
        }
    }

    @Test
    void fiveWorkersCopyEveryKeyOnceAndSayWhatTheyCovered() throws Exception {
        long copied = 0;
        List<String> firstLines = new ArrayList<>();
        java.util.Set<String> splits = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            var r = run("redis", "copy", "--source", cluster.uri(), "--target", target.uri(),
                    "--workers-total", "5", "--worker", String.valueOf(i), "--format", "json");
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode j = Json.mapper().readTree(r.out());
            assertThat(j.at("/worker/index").asInt()).isEqualTo(i);
            assertThat(j.at("/worker/total").asInt()).isEqualTo(5);
            assertThat(j.at("/worker/from").isNull()).isTrue();
            splits.add(j.at("/worker/split").asText());
            assertThat(j.at("/worker/covers/0/primary").asText()).startsWith("127.0.0.1:");
            assertThat(j.at("/worker/covers/0/whole").asBoolean()).isEqualTo(i == 4);
            assertThat(j.at("/skipped/unchanged").asLong()).isZero();
            copied += j.get("copied").asLong();
            firstLines.add(j.at("/worker/slots").toString());
        }
        assertThat(copied).isEqualTo(601);
        assertThat(splits).singleElement().asString().matches("[0-9a-f]{8}");
        assertThat(targetKeys()).isEqualTo(601);
        assertThat(firstLines.get(0)).matches("\\[\\[0,\\d+]]");
        assertThat(firstLines.get(4)).matches("\\[\\[\\d+,16383]]");

        var verify = run("redis", "verify", "--source", cluster.uri(), "--target", target.uri(),
                "--workers-total", "2", "--worker", "0");
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).matches("(?s)worker 0 of 2, split [0-9a-f]{8}: primaries 127\\.0\\.0\\.1:\\d+ \\(slots 0-\\d+\\), "
                + "127\\.0\\.0\\.1:\\d+ \\(slots \\d+-\\d+\\)\n\\d+ source keys and \\d+ target keys checked.*identical\n");

        var json = run("redis", "verify", "--source", cluster.uri(), "--target", target.uri(),
                "--workers-total", "2", "--worker", "1", "--format", "json");
        assertThat(json.exit()).isZero();
        JsonNode v = Json.mapper().readTree(json.out());
        assertThat(v.at("/worker/covers/0/whole").asBoolean()).isTrue();
        assertThat(v.get("identical").asBoolean()).isTrue();
        assertThat(v.get("checked").asLong()).isPositive();
    }

    @Test
    void theTableSaysWhichWorkerAndWhichSlots() {
        var r = run("redis", "copy", "--source", cluster.uri(), "--target", target.uri(), "--workers-total", "5", "--worker", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("(?s)worker 1 of 5, split [0-9a-f]{8}: slots \\d+-\\d+ of primary 127\\.0\\.0\\.1:\\d+\ncopied redis://.*");
    }

    @Test
    void autoTakesTheIndexFromTheEnginesVariable() throws Exception {
        var k8s = child(Map.of("JOB_COMPLETION_INDEX", "2"), "--workers-total", "3", "--worker", "auto");
        assertThat(k8s.exit()).as(k8s.err()).isZero();
        assertThat(k8s.out()).matches("(?s)worker 2 of 3 \\(JOB_COMPLETION_INDEX\\), split [0-9a-f]{8}: primary 127\\.0\\.0\\.1:.*");
        var aws = child(Map.of("AWS_BATCH_JOB_ARRAY_INDEX", "0"), "--workers-total", "3", "--worker", "auto");
        assertThat(aws.exit()).as(aws.err()).isZero();
        assertThat(aws.out()).matches("(?s)worker 0 of 3 \\(AWS_BATCH_JOB_ARRAY_INDEX\\), split [0-9a-f]{8}: primary 127\\.0\\.0\\.1:.*");
        long afterTwo = targetKeys();
        var none = child(Map.of(), "--workers-total", "3", "--worker", "auto");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("cutover: --worker auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) "
                + "nor AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set; give --worker I\n");
        assertThat(targetKeys()).isEqualTo(afterTwo);
    }

    /** The CLI in a JVM of its own with exactly these engine variables. */
    private CopyCommandTest.Result child(Map<String, String> env, String... workerArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Cutover.class.getName(),
                "redis", "copy", "--source", cluster.uri(), "--target", target.uri()));
        cmd.addAll(List.of(workerArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JOB_COMPLETION_INDEX");
        pb.environment().remove("AWS_BATCH_JOB_ARRAY_INDEX");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CopyCommandTest.Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void badWorkerOptionsAreOneLineUsageErrorsAndWriteNothing() {
        String[][] cases = {
                {"--workers-total", "5", "--worker", "5"},
                {"--workers-total", "0", "--worker", "0"},
                {"--workers-total", "3", "--worker", "-1"},
                {"--workers-total", "3"},
                {"--worker", "1"},
                {"--workers-total", "3", "--worker", "1", "--live"},
                {"--workers-total", "16385", "--worker", "1"},
        };
        String[] messages = {
                "cutover: --worker 5 is not below --workers-total 5 (workers are numbered from 0)\n",
                "cutover: --workers-total must be at least 1, got 0\n",
                "cutover: --worker: expected a worker number from 0 or auto, got '-1'\n",
                "cutover: --workers-total needs --worker I (from 0) or --worker auto\n",
                "cutover: --worker needs --workers-total N (how many workers share the job)\n",
                "cutover: --live can't be split among workers (--workers-total): run one live copy\n",
                "cutover: --workers-total: expected 1..16384 (one slot each at most), got 16385\n",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("redis", "copy", "--source", cluster.uri(), "--target", target.uri()));
            args.addAll(List.of(cases[i]));
            var r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(r.err()).isEqualTo(messages[i]);
            assertThat(targetKeys()).isZero();
        }
        var v = run("redis", "verify", "--source", cluster.uri(), "--target", target.uri(), "--workers-total", "2", "--worker", "2");
        assertThat(v.exit()).isEqualTo(2);
        assertThat(v.err()).isEqualTo("cutover: --worker 2 is not below --workers-total 2 (workers are numbered from 0)\n");
    }
}
