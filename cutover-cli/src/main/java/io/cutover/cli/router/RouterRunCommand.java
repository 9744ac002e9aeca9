package io.cutover.cli.router;

import io.cutover.core.metrics.Metrics;
import io.cutover.router.Router;
import io.cutover.router.config.RouterSettings;
import io.cutover.router.lists.ListReloader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cutover router run --config FILE}: serve until SIGTERM, then drain and exit. */
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
        PrintWriter err = spec.commandLine().getErr();
        RouterSettings settings = RouterSettings.load(config);
        Router router = new Router(settings, new Metrics());
        router.start();
        router.stopOnShutdown();
        for (ListReloader.Outcome o : router.initialLoad()) {
            if (o.status() == ListReloader.Status.LOADED) {
                out.println("list " + o.list() + ": " + o.size() + " ids");
            }
        }
        for (String w : router.warnings()) {
            err.println("cutover: warning: " + w);
        }
        out.println("cutover router: listening on " + router.listenAddress()
                + (router.adminPort() > 0 ? ", admin on " + settings.admin().host() + ":" + router.adminPort() : "")
                + " (" + settings.routes().size() + " routes, default " + settings.defaultBackend() + ")");
        out.flush();
        err.flush();
        router.join();
        return 0;
    }
}
