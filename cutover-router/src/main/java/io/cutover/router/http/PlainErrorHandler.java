package io.cutover.router.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Jetty's own error answers (a bad request, a failure inside the server) as the router's short plain line, counted
 * as its own answers, instead of an HTML page that names Jetty's internals.
 */
public final class PlainErrorHandler extends ErrorHandler {
    private final Consumer<OwnAnswer> counted;

    public PlainErrorHandler(Consumer<OwnAnswer> counted) {
        this.counted = counted;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        OwnAnswer answer = OwnAnswer.forStatus(code);
        counted.accept(answer);
        response.getHeaders().remove(HttpHeader.CONTENT_TYPE);
        PlainText.send(response, code, "text/plain; charset=utf-8", answer.body() + "\n", callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        OwnAnswer answer = OwnAnswer.forStatus(status);
        counted.accept(answer);
        fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        return ByteBuffer.wrap((answer.body() + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
