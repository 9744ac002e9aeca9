package io.cutover.router.shadow;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An answer as the router saw it: status, headers (lower-case names, every value), the body's bytes (de-chunked),
 * {@code truncated} when the body was longer than the router keeps for a comparison.
 */
public record Observed(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) {
    /** The most body bytes kept of one answer for a comparison. */
    public static final int MAX_BODY = 1 << 20;

    /** The header's values joined by {@code ", "}, or null. */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null ? null : String.join(", ", v);
    }

    /** Parses an answer's raw HTTP/1.1 bytes (interim 1xx answers skipped); null when they are not a whole answer. */
    public static Observed parse(byte[] raw, boolean headRequest) {
        ByteBuffer in = ByteBuffer.wrap(raw);
        while (true) {
            Handler h = new Handler();
            HttpParser parser = new HttpParser(h);
            parser.setHeadResponse(headRequest);
            while (in.hasRemaining() && !h.done && !h.bad) {
                if (!parser.parseNext(in) && !in.hasRemaining()) {
                    break;
                }
            }
            if (!h.done) {
                parser.atEOF();
                parser.parseNext(in); // a close-delimited body ends here
            }
            if (h.bad || !h.headerDone) {
                return null;
            }
            if (h.status >= 200 || !in.hasRemaining()) {
                return new Observed(h.status, h.headers, h.body.toByteArray(), h.truncated);
            }
        }
    }

    private static final class Handler implements HttpParser.ResponseHandler {
        int status;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean truncated;
        boolean headerDone;
        boolean done;
        boolean bad;

        @Override
        public void startResponse(HttpVersion version, int status, String reason) {
            this.status = status;
        }

        @Override
        public void parsedHeader(HttpField field) {
            headers.computeIfAbsent(field.getLowerCaseName(), k -> new ArrayList<>(1)).add(field.getValue());
        }

        @Override
        public boolean headerComplete() {
            headerDone = true;
            return false;
        }

        @Override
        public boolean content(ByteBuffer item) {
            int n = Math.min(item.remaining(), MAX_BODY - body.size());
            if (n < item.remaining()) {
                truncated = true;
            }
            byte[] b = new byte[n];
            item.get(b);
            item.position(item.limit());
            body.write(b, 0, n);
            return false;
        }

        @Override
        public boolean contentComplete() {
            return false;
        }

        @Override
        public boolean messageComplete() {
            done = true;
            return true;
        }

        @Override
        public void earlyEOF() {
            bad = true;
        }

        @Override
        public void badMessage(org.eclipse.jetty.http.HttpException failure) {
            bad = true;
        }
    }
}
