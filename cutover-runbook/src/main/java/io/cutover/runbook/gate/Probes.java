package io.cutover.runbook.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.core.error.CutoverException;
import io.cutover.core.output.Json;
import io.cutover.core.progress.Progress;
import io.cutover.redis.clients.ClientInfo;
import io.cutover.redis.clients.OtherClients;
import io.cutover.redis.connect.RedisEndpoint;
import io.cutover.redis.connect.RedisUri;
import io.cutover.runbook.plan.GateCheck;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.plan.PlanLoader;
import io.cutover.sql.report.EstimateReport;
import io.cutover.sql.verify.VerifyReport;
import io.cutover.sql.verify.VerifyRequest;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The probe for each kind of gate. */
public final class Probes {
    /** The lag figure a live copy writes in its status line ("pending 3, oldest 120ms, …"). */
    private static final Pattern LAG = Pattern.compile("oldest (\\d+)ms");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Probes() {
    }

    /** @param outputOf the output lines so far of a step of this run, by id (for {@code redis_lag}) */
    public static Probe open(GateCheck check, Function<String, List<String>> outputOf) {
        if (check instanceof GateCheck.RedisLag g) {
            return () -> lag(g, outputOf.apply(g.step()));
        } else if (check instanceof GateCheck.RedisClients g) {
            return clients(g);
        } else if (check instanceof GateCheck.SqlVerify g) {
            return () -> sql(g.plan().toString(), m -> {
                VerifyReport r = m.verify(VerifyRequest.all(), Progress.silent());
                return new Reading(r.ok(), r.ok() ? "verify ok" : r.mismatchCount() + " mismatch(es)");
            });
        } else if (check instanceof GateCheck.SqlOutstanding g) {
            return () -> sql(g.plan().toString(), m -> {
                EstimateReport r = m.estimate(LocalDateTime.now(), null);
                long pending = r.steps().stream().mapToLong(EstimateReport.StepEstimate::pending).sum();
                return new Reading(pending <= g.max(), pending + " row(s) outstanding (max " + g.max() + ")");
            });
        } else if (check instanceof GateCheck.Http g) {
            return () -> http(g);
        }
        GateCheck.Prometheus g = (GateCheck.Prometheus) check;
        return () -> prometheus(g);
    }

    private static Reading lag(GateCheck.RedisLag g, List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = LAG.matcher(lines.get(i));
            if (m.find()) {
                long ms = Long.parseLong(m.group(1));
                return new Reading(ms <= g.max().toMillis(), "lag " + ms + "ms (max " + g.max().toMillis() + "ms)");
            }
        }
        return new Reading(false, "no lag reported by step '" + g.step() + "' yet");
    }

    private static Probe clients(GateCheck.RedisClients g) {
        RedisUri uri = RedisUri.parse(g.uri(), System.getenv("CUTOVER_SOURCE_PASSWORD"), "gate.redis_clients");
        RedisEndpoint endpoint = new RedisEndpoint(uri, "server");
        OtherClients others;
        try {
            others = new OtherClients(endpoint, g.except());
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
        return new Probe() {
            @Override
            public Reading read() {
                try {
                    List<ClientInfo> all = others.list().clients();
                    // read after the list, so that a connection this process opened meanwhile is known as ours
                    Set<String> ours = OwnSockets.localAddresses();
                    List<ClientInfo> left = all.stream().filter(c -> !ours.contains(c.addr())).toList();
                    int n = left.size();
                    String names = left.stream().limit(10).map(ClientInfo::describe).collect(Collectors.joining(", "));
                    return new Reading(n <= g.max(), n + " client(s) left" + (n == 0 ? "" : ": " + names));
                } catch (CutoverException e) {
                    return new Reading(false, e.getMessage());
                }
            }

            @Override
            public void close() {
                others.close();
                endpoint.close();
            }
        };
    }

    private static Reading sql(String plan, Function<SqlMigration, Reading> read) {
        try (SqlMigration m = new SqlMigration(PlanLoader.fromSystem().load(java.nio.file.Path.of(plan)), 2)) {
            return read.apply(m);
        } catch (CutoverException e) {
            return new Reading(false, e.getMessage());
        }
    }

    private static Reading http(GateCheck.Http g) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(g.url())).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return new Reading(r.statusCode() == g.status(), "HTTP " + r.statusCode() + " (want " + g.status() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reading(false, "interrupted");
        } catch (Exception e) {
            return new Reading(false, "cannot GET " + g.url() + ": " + e.getClass().getSimpleName());
        }
    }

    private static Reading prometheus(GateCheck.Prometheus g) {
        String url = g.url().replaceAll("/+$", "") + "/api/v1/query?query=" + URLEncoder.encode(g.query(), StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return new Reading(false, "prometheus answered HTTP " + r.statusCode());
            }
            JsonNode result = Json.mapper().readTree(r.body()).path("data").path("result");
            if (!result.isArray() || result.isEmpty()) {
                return new Reading(false, "no series for " + g.query());
            }
            double v = Double.parseDouble(result.get(0).path("value").get(1).asText());
            return new Reading(v <= g.max(), g.query() + " = " + v + " (max " + g.max() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reading(false, "interrupted");
        } catch (Exception e) {
            return new Reading(false, "cannot query " + g.url() + ": " + e.getClass().getSimpleName());
        }
    }
}
