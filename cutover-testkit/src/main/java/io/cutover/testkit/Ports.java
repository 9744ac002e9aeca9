package io.cutover.testkit;

import io.cutover.core.error.CutoverException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for the servers the testkit starts. */
public final class Ports {
    private Ports() {
    }

    /** A free loopback port (probe, close, hand out). */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw CutoverException.runtime("no free port: " + e.getMessage(), e);
        }
    }
}
