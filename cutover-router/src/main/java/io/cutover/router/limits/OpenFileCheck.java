package io.cutover.router.limits;

import io.cutover.router.config.RouterSettings;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Compares the process's open-file limit with what the configured limits can use: one descriptor per client
 * connection, one per pooled backend connection, plus a margin for the JVM's own files and the admin port.
 * New services behind a router commonly hit "too many open files" only under real load; this says so at start.
 */
public final class OpenFileCheck {
    /** Descriptors the JVM, logs, jars, selectors and the admin port need besides connections. */
    public static final int MARGIN = 128;

    private OpenFileCheck() {
    }

    /** The descriptors the limits may need. */
    public static long needed(RouterSettings s) {
        long backends = s.backends().values().stream().mapToLong(RouterSettings.BackendSpec::maxConnections).sum();
        return (long) s.limits().maxClientConnections() + backends + MARGIN;
    }

    /** The process's open-file limit, when the platform tells it. */
    public static Optional<Long> limit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return Optional.of(u.getMaxFileDescriptorCount());
        }
        return Optional.empty();
    }

    /** A warning line when the limit is below what the settings need, else empty. */
    public static Optional<String> warning(RouterSettings s) {
        long need = needed(s);
        return limit().filter(l -> l < need).map(l -> "open-file limit is " + l + " but the limits can use " + need
                + " descriptors (max_client_connections " + s.limits().maxClientConnections()
                + " + backend max_connections + " + MARGIN + "); raise it (ulimit -n " + need
                + ", LimitNOFILE= in systemd) or lower the limits, or expect 'too many open files' under load");
    }
}
