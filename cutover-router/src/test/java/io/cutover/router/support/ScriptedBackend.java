package io.cutover.router.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A backend on a plain server socket that answers each request head (a Content-Length body is read and dropped) with the exact
 * bytes a script gives for its request line, for answers a well-behaved server would not send. It records every
 * head it read and counts connections.
 */
public final class ScriptedBackend implements AutoCloseable {
    /** What to send for one request, and whether to close the connection after it. */
    public record Answer(String bytes, boolean close) {
    }

    private final ServerSocket server;
    private final Function<String, Answer> script;
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    public ScriptedBackend(Function<String, Answer> script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "scripted-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Every request head read so far, in order. */
    public List<String> heads() {
        return heads;
    }

    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "scripted-backend-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                heads.add(head);
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$").matcher(head);
                if (length.find()) {
                    in.readNBytes(Integer.parseInt(length.group(1))); // the body: only heads are scripted
                }
                Answer a = script.apply(head.substring(0, head.indexOf("\r\n")));
                out.write(a.bytes().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (a.close()) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the router closed the connection
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (b.length() < 4 || !b.substring(b.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
