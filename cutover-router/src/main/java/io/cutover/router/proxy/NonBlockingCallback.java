package io.cutover.router.proxy;

import org.eclipse.jetty.util.Callback;

/** A callback that never blocks, so Jetty runs it on the event loop that completes it instead of another thread. */
abstract class NonBlockingCallback implements Callback {
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
