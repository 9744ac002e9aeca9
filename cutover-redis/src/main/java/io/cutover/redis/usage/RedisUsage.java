package io.cutover.redis.usage;

import io.cutover.core.error.CutoverException;
import io.cutover.redis.clients.ClientInfo;
import io.cutover.redis.connect.RedisEndpoint;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Who uses which keys: samples a server's traffic with MONITOR for a while (bounded in time and in lines) and counts
 * reads and writes per client, database and key prefix. Where MONITOR is refused, falls back to CLIENT LIST and the
 * server-wide INFO counters, and says what that cannot tell. Our own connections are left out: both are named
 * {@code cutover-usage-…} and found in CLIENT LIST by that name.
 */
public final class RedisUsage {
    private final RedisEndpoint endpoint;
    private final UsageOptions options;

    public RedisUsage(RedisEndpoint endpoint, UsageOptions options) {
        this.endpoint = endpoint;
        this.options = options;
    }

    /** Samples for {@link UsageOptions#sample()} (less when --max-lines is reached first) and reports. */
    public UsageReport run() {
        String name = "cutover-usage-" + UUID.randomUUID().toString().substring(0, 8);
        try (StatefulRedisConnection<byte[], byte[]> control = endpoint.connect(0)) {
            control.sync().clientSetname(name.getBytes(StandardCharsets.UTF_8));
            MonitorStream.Start start = MonitorStream.open(endpoint, name + "-monitor");
            if (start instanceof MonitorStream.Started s) {
                try (MonitorStream stream = s.stream()) {
                    return monitor(control, stream, name);
                }
            }
            return fallback(control, ((MonitorStream.Refused) start).reply(), name);
        } catch (CutoverException e) {
            throw e;
        } catch (RuntimeException e) {
            throw endpoint.failure(e);
        }
    }

    private UsageReport monitor(StatefulRedisConnection<byte[], byte[]> control, MonitorStream stream, String name) {
        long begin = System.nanoTime();
        long deadline = begin + options.sample().toNanos();
        ClientDirectory clients = new ClientDirectory();
        Set<String> ours = new HashSet<>();
        listClients(control, clients, ours, name);
        UsageTally tally = new UsageTally(options.delimiter(), options.depth(), endpoint.uri().db(), ours);
        long read = 0;
        boolean full = false;
        try {
            for (MonitorLine line = stream.next(deadline); line != null; line = stream.next(deadline)) {
                clients.saw(line);
                tally.add(line);
                if (++read >= options.maxLines()) {
                    full = true;
                    break;
                }
            }
        } catch (IOException e) {
            throw endpoint.failure(e);
        } catch (IllegalArgumentException e) {
            throw CutoverException.runtime(endpoint.role() + " " + endpoint.uri().address() + ": " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        stream.close();
        listClients(control, clients, ours, name);
        return new UsageReport(UsageSource.MONITOR, round(seconds), tally.rows(clients),
                new UsageReport.Monitored(tally.lines(), full, tally.cutLines(), tally.unknownCommands()));
    }

    private UsageReport fallback(StatefulRedisConnection<byte[], byte[]> control, String refusal, String name) {
        long begin = System.nanoTime();
        ClientDirectory clients = new ClientDirectory();
        Set<String> ours = new HashSet<>();
        ServerCounters before = counters(control);
        listClients(control, clients, ours, name);
        sleep(options.sample());
        listClients(control, clients, ours, name);
        ServerCounters during = counters(control).since(before);
        double seconds = (System.nanoTime() - begin) / 1e9;
        List<UsageRow> rows = new ArrayList<>();
        int onlyDb = endpoint.uri().db();
        for (Map.Entry<String, ClientDirectory.Listed> e : clients.listed().entrySet()) {
            ClientInfo c = e.getValue().info();
            if (ours.contains(c.addr()) || (onlyDb >= 0 && c.db() != onlyDb)) {
                continue;
            }
            rows.add(new UsageRow(clients.name(c.addr()), clients.library(c.addr()), c.addr(), c.db(), null, null,
                    null, e.getValue().listedAt().minusSeconds(c.idleSeconds())
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS))); // CLIENT LIST counts idle in seconds
        }
        rows.sort(UsageTally.ORDER);
        Map<String, Long> reads = new TreeMap<>();
        Map<String, Long> writes = new TreeMap<>();
        during.calls().forEach((cmd, n) -> CommandTable.lookup(cmd).access()
                .ifPresent(a -> (a == Access.READ ? reads : writes).put(cmd, n)));
        return new UsageReport(UsageSource.CLIENT_LIST, round(seconds), rows, new UsageReport.Fallback(refusal,
                new UsageReport.ServerTotals(reads, writes, during.hits(), during.misses())));
    }

    /** Takes in CLIENT LIST and notes the addresses of our own connections. */
    private void listClients(StatefulRedisConnection<byte[], byte[]> control, ClientDirectory clients,
                             Set<String> ours, String name) {
        String reply = control.sync().clientList();
        clients.list(reply, Instant.now());
        for (String line : reply.split("\r?\n")) {
            ClientInfo c = ClientInfo.parse(line);
            if (c.name().startsWith(name)) {
                ours.add(c.addr());
            }
        }
    }

    private static ServerCounters counters(StatefulRedisConnection<byte[], byte[]> control) {
        return ServerCounters.parse(control.sync().info("commandstats") + "\n" + control.sync().info("stats"));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CutoverException.runtime("interrupted while sampling");
        }
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
