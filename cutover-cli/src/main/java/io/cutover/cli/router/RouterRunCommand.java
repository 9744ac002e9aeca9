package io.cutover.cli.router;

import io.cutover.router.metrics.Metrics;
import io.cutover.router.Router;
import io.cutover.router.config.RouterSettings;
import io.cutover.router.lists.ListReloader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cutover router run --config FILE}: serve until SIGTERM, then drain and exit (warnings go to the log on stderr). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the router in the foreground. SIGTERM (or Ctrl-C) stops accepting, lets requests in "
                + "flight finish within shutdown_grace, and exits.")
public final class RouterRunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The router's YAML configuration.")
    Path config;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RouterSettings settings = RouterSettings.load(config);
        Router router = new Router(settings, new Metrics());
        router.start();
        router.stopOnSignals(() -> {
            out.println("cutover router: stopping: no new connections; " + router.inflight()
                    + " requests in flight get up to " + settings.shutdownGrace().toSeconds() + "s to finish");
            out.flush();
        });
        for (ListReloader.Outcome o : router.initialLoad()) {
            if (o.status() == ListReloader.Status.LOADED) {
                out.println("list " + o.list() + ": " + o.size() + " ids");
            }
        }
        out.println("cutover router: listening on " + router.listenAddress()
                + (router.tlsPort() > 0 ? ", TLS (h2, http/1.1) on " + settings.listenTls().address().host() + ":" + router.tlsPort() : "")
                + (router.adminPort() > 0 ? ", admin on " + settings.admin().host() + ":" + router.adminPort() : "")
                + " (" + settings.routes().size() + " routes, default " + settings.defaultBackend() + ")");
        out.flush();
        router.join();
        out.println("cutover router: stopped");
        out.flush();
        return 0;
    }
}
