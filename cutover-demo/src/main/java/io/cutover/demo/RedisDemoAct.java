package io.cutover.demo;

import io.cutover.core.output.Bytes;
import io.cutover.core.time.Durations;
import io.cutover.redis.clients.ClientList;
import io.cutover.redis.clients.DrainResult;
import io.cutover.redis.clients.DrainWatch;
import io.cutover.redis.clients.OtherClients;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.redis.copy.CopyOptions;
import io.cutover.redis.copy.CopyReport;
import io.cutover.redis.copy.RedisCopy;
import io.cutover.redis.inventory.Inventory;
import io.cutover.redis.inventory.InventoryOptions;
import io.cutover.redis.inventory.KeyspaceInventory;
import io.cutover.testkit.redis.LocalRedisServer;
import io.cutover.testkit.redis.RedisBinaries;
import io.cutover.redis.select.KeySelection;
import io.cutover.redis.verify.RedisVerify;
import io.cutover.redis.verify.VerifyOptions;
import io.cutover.redis.verify.VerifyReport;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The redis act of {@code cutover demo}: a shared instance holds sessions mixed with cache and
 * job data; the sessions move to their own instance. Inventory → copy of the sessions only → verify → clients drain.
 */
public final class RedisDemoAct implements DemoAct {
    private static final String SESSIONS = "session:*";

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public int run(PrintWriter out) throws Exception {
        Path binary = RedisBinaries.any();
        boolean ok = true;
        try (LocalRedisServer old = LocalRedisServer.start(binary); LocalRedisServer fresh = LocalRedisServer.start(binary);
             RedisEndpoint source = endpoint(old, "source"); RedisEndpoint target = endpoint(fresh, "target")) {
            int keys = fill(source);
            out.println("shared instance " + old.uri() + " (redis " + source.info().version() + "): " + keys
                    + " keys of sessions, cache, users and jobs in db 0 and 1; new session store " + fresh.uri());
            KeySelection sessions = KeySelection.of(List.of(SESSIONS), null);

            step(out, 1, "cutover redis inventory --source " + old.uri() + " --include '" + SESSIONS + "'");
            Inventory inventory = new KeyspaceInventory(source, InventoryOptions.defaults().withSelection(sessions)).run();
            out.print(inventory.table());

            step(out, 2, "cutover redis copy --source " + old.uri() + " --target " + fresh.uri() + " --include '" + SESSIONS + "'");
            CopyReport copy = new RedisCopy(source, target, CopyOptions.defaults().withSelection(sessions), null).run();
            out.println("copied " + copy.copied() + " keys (" + copy.mode() + ", " + Bytes.human(copy.bytes()) + ") in "
                    + Durations.format(copy.elapsed()) + "; skipped " + copy.skippedFiltered() + " filtered, "
                    + copy.skippedExpired() + " expired, " + copy.skippedExisting() + " existing; failed " + copy.failed());
            ok &= copy.clean() && copy.copied() == inventory.selected().keys();

            step(out, 3, "cutover redis verify --source " + old.uri() + " --target " + fresh.uri() + " --include '" + SESSIONS + "'");
            VerifyReport verify = new RedisVerify(source, target, VerifyOptions.defaults().withSelection(sessions)).run();
            out.print(verify.table());
            out.println("exit " + verify.exitCode().code());
            ok &= verify.identical();

            step(out, 4, "cutover redis clients --uri " + old.uri() + " --until-drained --timeout 10s");
            ok &= drain(source, out);
        }
        out.println();
        out.println(ok ? "redis act: sessions moved, verified identical, old instance drained"
                : "redis act: something did not go as expected (see above)");
        return ok ? 0 : 1;
    }

    /** A legacy app is still connected to the old instance; it goes away and the drain watch completes. */
    private static boolean drain(RedisEndpoint source, PrintWriter out) throws Exception {
        StatefulRedisConnection<String, String> legacy = source.client().connect(StringCodec.UTF8, source.lettuceUri(1));
        try (OtherClients others = new OtherClients(source, List.of())) {
            legacy.sync().clientSetname("legacy-batch");
            legacy.sync().ping();
            ClientList now = others.list();
            out.print(now.table());
            out.println("(the legacy batch job disconnects in a moment…)");
            out.flush();
            CompletableFuture<Void> leaving = CompletableFuture.runAsync(() -> {
                sleep(1200);
                legacy.close();
            });
            DrainResult result = new DrainWatch(others, Duration.ofMillis(250)).await(Duration.ofSeconds(10), null);
            leaving.get(10, TimeUnit.SECONDS);
            out.println(result.drained()
                    ? "drained: no other client connected (waited " + Durations.format(Duration.ofMillis(result.waitedMs())) + ")"
                    : "still connected:\n" + result.remaining().table());
            return result.drained() && !now.isEmpty();
        } finally {
            legacy.close();
        }
    }

    /** Fills the shared instance like a shared managed cache; returns the number of keys written. */
    private static int fill(RedisEndpoint source) {
        Random random = new Random(42);
        int n = 0;
        try (StatefulRedisConnection<String, String> c = source.client().connect(StringCodec.UTF8, source.lettuceUri(0))) {
            c.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> a = c.async();
            List<RedisFuture<?>> sent = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                String k = "session:" + Long.toHexString(random.nextLong());
                sent.add(a.hmset(k, Map.of("user_id", String.valueOf(random.nextInt(100_000)), "csrf", Long.toHexString(random.nextLong()),
                        "last_seen", String.valueOf(1_700_000_000 + random.nextInt(1_000_000)))));
                sent.add(a.pexpire(k, 1_800_000L + random.nextInt(5_400_000)));
                n++;
            }
            for (int i = 0; i < 300; i++) {
                sent.add(a.psetex("session:flash:" + i, 900_000L, "{\"notice\":\"saved\"}"));
                n++;
            }
            for (int i = 0; i < 1000; i++) {
                sent.add(a.psetex("cache:page:" + i, 600_000L + random.nextInt(86_000_000), "<html>" + "x".repeat(200 + random.nextInt(800)) + "</html>"));
                n++;
            }
            for (int i = 0; i < 500; i++) {
                sent.add(a.hmset("user:" + i, Map.of("name", "user" + i, "plan", i % 7 == 0 ? "pro" : "free")));
                n++;
            }
            for (int i = 0; i < 200; i++) {
                sent.add(a.zadd("leaderboard", random.nextInt(10_000), "user:" + i));
            }
            n++;
            c.flushCommands();
            sent.forEach(f -> f.toCompletableFuture().join());
        }
        try (StatefulRedisConnection<String, String> c = source.client().connect(StringCodec.UTF8, source.lettuceUri(1))) {
            for (String queue : List.of("mail", "thumbnails", "billing", "search-index")) {
                for (int i = 0; i < 50; i++) {
                    c.sync().rpush("jobs:queue:" + queue, "{\"job\":" + i + "}");
                }
                n++;
            }
            c.sync().set("jobs:lock:nightly", "worker-3");
            n++;
        }
        return n;
    }

    private static RedisEndpoint endpoint(LocalRedisServer server, String role) {
        return new RedisEndpoint(RedisUri.parse(server.uri(), null, "--" + role), role);
    }

    private static void step(PrintWriter out, int n, String command) {
        out.println();
        out.println("--- " + n + ". " + command);
        out.flush();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
