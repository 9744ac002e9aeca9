package io.cutover.router.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 over a plain socket, so a test controls exactly which bytes go out and when. */
public final class RawHttp {
    private RawHttp() {
    }

    /** One response: status, headers by lower-case name (the last of a name wins), body. */
    public record Response(int status, Map<String, String> headers, byte[] raw, String body) {
    }

    public static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        s.setSoTimeout(15_000); // a stall fails the test instead of hanging it
        return s;
    }

    public static String get(String pathQuery) {
        return "GET " + pathQuery + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    public static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads one response: a Content-Length or chunked body, or, with neither, a body up to the connection's end. */
    public static Response readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (length != null) {
            long n = Long.parseLong(length);
            byte[] b = in.readNBytes((int) n);
            if (b.length < n) {
                throw new EOFException("body cut at " + b.length + " of " + n);
            }
            body.write(b);
        } else if (status >= 200 && status != 204 && status != 304) {
            body.write(in.readAllBytes());
        }
        byte[] raw = body.toByteArray();
        return new Response(status, headers, raw, new String(raw, StandardCharsets.UTF_8));
    }

    public static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed after '" + b + "'");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
