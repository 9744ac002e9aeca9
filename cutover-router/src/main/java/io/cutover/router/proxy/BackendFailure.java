package io.cutover.router.proxy;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/** The router's answer when a backend fails before its status line: 504 for a timeout, else 502, and a line saying why. */
record BackendFailure(int status, String body) {
    static BackendFailure of(String route, String backend, Throwable failure) {
        boolean timeout = isTimeout(failure);
        int status = timeout ? 504 : 502;
        String what = timeout ? "timed out" : rootCause(failure) instanceof ConnectException ? "refused the connection" : "failed";
        String body = status + (timeout ? " Gateway Timeout" : " Bad Gateway") + ": route '" + route + "' → backend '"
                + backend + "' " + what + " (" + shortReason(failure) + ")";
        return new BackendFailure(status, body);
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    private static String shortReason(Throwable t) {
        Throwable root = rootCause(t);
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
