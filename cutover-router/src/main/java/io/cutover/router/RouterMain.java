package io.cutover.router;

import io.cutover.core.error.CutoverException;
import io.cutover.router.metrics.Metrics;
import io.cutover.router.config.RouterSettings;

import java.nio.file.Path;

/**
 * Runs the router from a config file without the CLI: {@code java -cp ... io.cutover.router.RouterMain FILE}.
 * SIGTERM stops it gracefully. Prints one line {@code listening PORT ADMINPORT} once it serves.
 */
public final class RouterMain {
    private RouterMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: RouterMain CONFIG.yaml");
            System.exit(2);
        }
        Router router;
        try {
            router = new Router(RouterSettings.load(Path.of(args[0])), new Metrics());
            router.start();
        } catch (CutoverException e) {
            System.err.println("cutover: " + e.getMessage());
            System.exit(e.exitCode().code());
            return;
        }
        router.stopOnSignals(() -> { });
        System.out.println("listening " + router.port() + " " + router.adminPort());
        System.out.flush();
        router.join();
        System.exit(0); // non-daemon threads (list reloads) may linger
    }
}
