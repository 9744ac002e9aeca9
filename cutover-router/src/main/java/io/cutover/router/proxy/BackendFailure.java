package io.cutover.router.proxy;

import io.cutover.router.http.OwnAnswer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The router's answer when a backend fails before its status line: 504 for a timeout, else 502, with a line naming
 * the route and backend (as configured) and what went wrong; the exception itself is only logged.
 */
record BackendFailure(OwnAnswer answer, String body) {
    /** The message of the failure {@link BackendConnection} raises for a response head over the limit. */
    static final String HEAD_TOO_LARGE = "response head larger than max_response_head";

    static BackendFailure of(String route, String backend, Throwable failure) {
        OwnAnswer answer = kind(failure);
        return new BackendFailure(answer, answer.body(route, backend));
    }

    int status() {
        return answer.status();
    }

    private static OwnAnswer kind(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TimeoutException || c instanceof SocketTimeoutException) {
                return OwnAnswer.BACKEND_TIMEOUT;
            }
            if (c instanceof ConnectException) {
                return OwnAnswer.BACKEND_REFUSED;
            }
            if (c instanceof RejectedExecutionException) {
                return OwnAnswer.BACKEND_BUSY;
            }
            String m = c.getMessage();
            if (m != null && (m.contains(HEAD_TOO_LARGE) || m.contains("Response header too large")
                    || m.contains("Request Header Fields Too Large") || m.contains("header too large"))) {
                return OwnAnswer.RESPONSE_HEAD_TOO_LARGE;
            }
            if (c instanceof BadResponse) {
                return OwnAnswer.BAD_RESPONSE;
            }
        }
        return OwnAnswer.BACKEND_FAILED;
    }

    /** A backend's answer that is not HTTP/1.1. */
    static final class BadResponse extends IOException {
        BadResponse(String message) {
            super(message);
        }
    }
}
