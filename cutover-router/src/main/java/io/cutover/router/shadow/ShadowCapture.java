package io.cutover.router.shadow;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The primary's answer to a shadowed request, copied as its bytes go to the client: on the forwarding path the raw
 * HTTP/1.1 bytes (parsed later, on a shadow worker), on the handler chain the body only. Past {@link Observed#MAX_BODY}
 * (and a head's worth) it stops copying, and the pair is not compared.
 */
public final class ShadowCapture {
    private static final int MAX = Observed.MAX_BODY + 64 * 1024;

    private final Shadow shadow;
    private final ShadowRequest request;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    private boolean overflow;

    public ShadowCapture(Shadow shadow, ShadowRequest request) {
        this.shadow = shadow;
        this.request = request;
    }

    /** Copies what is about to be written to the client (the buffers are left as they were). */
    public void copy(ByteBuffer... buffers) {
        for (ByteBuffer b : buffers) {
            if (b == null || overflow) {
                continue;
            }
            int n = b.remaining();
            if (bytes.size() + n > MAX) {
                overflow = true;
                return;
            }
            ByteBuffer d = b.duplicate();
            byte[] a = new byte[n];
            d.get(a);
            bytes.write(a, 0, n);
        }
    }

    /** The answer was too large to keep: it will not be compared. */
    public void overflowed() {
        overflow = true;
    }

    /** The raw answer is complete (forwarding path): compare it. */
    public void rawAnswerDone(boolean headRequest) {
        byte[] raw = overflow ? null : bytes.toByteArray();
        shadow.submit(request, () -> raw == null ? null : Observed.parse(raw, headRequest));
    }

    /** The answer is complete (handler chain): {@code status} and {@code headers} as sent, the body as copied. */
    public void answerDone(int status, java.util.Map<String, java.util.List<String>> headers) {
        byte[] body = overflow ? null : bytes.toByteArray();
        shadow.submit(request, () -> body == null ? null : new Observed(status, headers, body, false));
    }
}
