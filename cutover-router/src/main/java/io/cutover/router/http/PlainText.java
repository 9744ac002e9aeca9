package io.cutover.router.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes the router's own short responses (errors, admin answers). */
public final class PlainText {
    private PlainText() {
    }

    /** Completes {@code callback} after writing {@code body} with {@code status} and {@code contentType}. */
    public static void send(Response response, int status, String contentType, String body, Callback callback) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** A text/plain response; a line break is added. */
    public static void send(Response response, int status, String body, Callback callback) {
        send(response, status, "text/plain; charset=utf-8", body + "\n", callback);
    }
}
