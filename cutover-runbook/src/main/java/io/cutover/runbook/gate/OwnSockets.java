package io.cutover.runbook.gate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local addresses ({@code ip:port}) of this process's own TCP connections, read from Linux's /proc. A
 * runbook's in-process steps (a live copy, an inventory) hold connections to the Redis a {@code redis_clients}
 * gate watches; without leaving them out the gate would wait for the runbook itself. Only exact IPv4 address and
 * port pairs are matched, so a client of another machine is never taken for one of ours. Empty off Linux.
 */
final class OwnSockets {
    private OwnSockets() {
    }

    static Set<String> localAddresses() {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // a descriptor closed while listing is not ours any more
                }
            });
        } catch (IOException | UnsupportedOperationException e) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        // Java's sockets are dual-stack: its IPv4 connections are listed in tcp6 as IPv4-mapped addresses
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && inodes.contains(f[9])) {
                        String a = ipv4(f[1]);
                        if (a != null) {
                            out.add(a);
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table here: nothing of ours in it
            }
        }
        return out;
    }

    /**
     * "0100007F:80F6" (little-endian address, port), or its IPv4-mapped IPv6 form, as "127.0.0.1:33014"; null for
     * other IPv6 addresses (they are not matched, so such a client is counted rather than ever missed).
     */
    static String ipv4(String hex) {
        String[] p = hex.split(":");
        String addr = p[0];
        if (addr.length() == 32) {
            if (!addr.startsWith("0000000000000000FFFF0000")) {
                return null;
            }
            addr = addr.substring(24);
        }
        long a = Long.parseLong(addr, 16);
        return (a & 0xff) + "." + ((a >> 8) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 24) & 0xff) + ":" + Integer.parseInt(p[1], 16);
    }
}
