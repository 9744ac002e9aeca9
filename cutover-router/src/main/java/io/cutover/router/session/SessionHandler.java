package io.cutover.router.session;

import io.cutover.router.http.OwnAnswer;
import io.cutover.router.http.PlainText;
import io.cutover.router.route.RouteSelectionHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.function.Consumer;

/**
 * The handler chain's side of {@link SessionTokens}: for requests to the backends in {@code session.for}, attaches
 * the token for the backend proxy to send (request attribute {@link SessionTokens#TOKEN_ATTRIBUTE}). The wait for the session service is asynchronous: no thread blocks on it.
 */
public final class SessionHandler extends Handler.Wrapper {
    private final SessionTokens tokens;
    private final Consumer<OwnAnswer> counted;

    public SessionHandler(SessionTokens tokens, Consumer<OwnAnswer> counted, Handler next) {
        super(next);
        this.tokens = tokens;
        this.counted = counted;
        addBean(tokens); // started and stopped with the handlers
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!tokens.forBackends().contains(RouteSelectionHandler.selection(request).backend())) {
            return super.handle(request, response, callback);
        }
        java.util.concurrent.CompletableFuture<SessionTokens.Outcome> outcome = tokens.outcome(request.getHeaders());
        if (outcome.isDone()) {
            return proceed(outcome.join(), request, response, callback);
        }
        outcome.thenAccept(o -> {
            try {
                if (!proceed(o, request, response, callback)) {
                    Response.writeError(request, response, callback, 404);
                }
            } catch (Throwable t) {
                callback.failed(t);
            }
        });
        return true;
    }

    private boolean proceed(SessionTokens.Outcome outcome, Request request, Response response, Callback callback) throws Exception {
        if (outcome instanceof SessionTokens.Outcome.Reject) {
            counted.accept(OwnAnswer.SESSION_UNAVAILABLE);
            PlainText.send(response, 503, OwnAnswer.SESSION_UNAVAILABLE.body(), callback);
            return true;
        }
        if (outcome instanceof SessionTokens.Outcome.Token t) {
            request.setAttribute(SessionTokens.TOKEN_ATTRIBUTE, t.token());
        }
        return super.handle(request, response, callback);
    }
}
