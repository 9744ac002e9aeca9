package io.cutover.cli.redis;

import io.cutover.core.output.Json;
import io.cutover.core.output.OutputFormat;
import io.cutover.core.time.Durations;
import io.cutover.redis.clients.ClientInfo;
import io.cutover.redis.clients.ClientList;
import io.cutover.redis.clients.DrainResult;
import io.cutover.redis.clients.DrainWatch;
import io.cutover.redis.clients.OtherClients;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cutover redis clients}: who is still connected, and waiting until nobody is. */
@Command(name = "clients", mixinStandardHelpOptions = true,
        description = "CLIENT LIST grouped by host, name and db (our own connection left out). With --until-drained, "
                + "wait until no other client remains (exit 0) or list who is still there at the timeout (exit 1).")
public final class ClientsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--uri", required = true, paramLabel = "URI",
            description = "The Redis to watch: redis://[user[:password]@]host[:port] or rediss://… "
                    + "(password may come from CUTOVER_SOURCE_PASSWORD).")
    String uri;

    @Mixin
    TlsOption tls;

    @Option(names = "--until-drained", description = "Poll until no other client is connected.")
    boolean untilDrained;

    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION",
            description = "Give up waiting after this long (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--interval", defaultValue = "1s", paramLabel = "DURATION",
            description = "Time between polls (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--ignore", paramLabel = "NAME_OR_ADDR",
            description = "Leave out clients with this name, addr (host:port) or host (repeatable).")
    List<String> ignore;

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        OutputFormat f = OutputFormat.parse(format);
        Duration limit = Durations.parse(timeout, "--timeout");
        Duration every = Durations.parse(interval, "--interval");
        RedisUri parsed = RedisUri.parse(uri, System.getenv("CUTOVER_SOURCE_PASSWORD"), "--uri");
        PrintWriter out = spec.commandLine().getOut();
        try (RedisEndpoint endpoint = new RedisEndpoint(parsed, "server", tls.options());
             OtherClients others = new OtherClients(endpoint, ignore == null ? List.of() : ignore)) {
            if (!untilDrained) {
                ClientList list = others.list();
                out.print(f == OutputFormat.JSON ? Json.write(json(list)) + "\n" : list.table());
                out.flush();
                return 0;
            }
            int[] last = {-1};
            DrainResult result = new DrainWatch(others, every).await(limit, list -> {
                if (f == OutputFormat.TABLE && list.clients().size() != last[0]) {
                    last[0] = list.clients().size();
                    out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + last[0] + " other client"
                            + (last[0] == 1 ? "" : "s") + " connected" + names(list));
                    out.flush();
                }
            });
            if (f == OutputFormat.JSON) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("drained", result.drained());
                m.put("waited_ms", result.waitedMs());
                m.put("remaining", json(result.remaining()));
                out.println(Json.write(m));
            } else if (result.drained()) {
                out.println("drained: no other client connected (waited " + Durations.format(Duration.ofMillis(result.waitedMs())) + ")");
            } else {
                out.println("still connected after " + Durations.format(limit) + ":");
                out.print(result.remaining().table());
            }
            out.flush();
            return result.drained() ? 0 : 1;
        }
    }

    private static String names(ClientList list) {
        if (list.isEmpty()) {
            return "";
        }
        List<String> shown = list.clients().stream().limit(5).map(ClientInfo::describe).toList();
        return ": " + String.join(", ", shown) + (list.clients().size() > shown.size() ? ", …" : "");
    }

    private static Map<String, Object> json(ClientList list) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", list.clients());
        m.put("groups", list.groups());
        return m;
    }
}
