package io.cutover.router.limits;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection that has not delivered a complete request head within the header timeout of
 * being opened (slow or silent clients hold a descriptor each). Later requests on a kept-alive connection
 * are bounded by the idle timeout.
 */
public final class HeaderTimeout implements Connection.Listener {
    private final long millis;
    private final Scheduler scheduler;

    public HeaderTimeout(Duration timeout, Scheduler scheduler) {
        this.millis = timeout.toMillis();
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (millis <= 0) {
            return;
        }
        scheduler.schedule(() -> {
            if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) {
                connection.getEndPoint().close();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }
}
