package io.cutover.core.error;

/**
 * A failure with a one-line, user-facing message and the exit code it maps to.
 * The message must never contain a password.
 */
public class CutoverException extends RuntimeException {
    private final ExitCode exitCode;

    public CutoverException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CutoverException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad usage or configuration (exit 2). */
    public static CutoverException usage(String message) {
        return new CutoverException(ExitCode.USAGE, message);
    }

    /** Bad usage or configuration (exit 2), keeping the cause for debugging. */
    public static CutoverException usage(String message, Throwable cause) {
        return new CutoverException(ExitCode.USAGE, message, cause);
    }

    /** Runtime failure (exit 3). */
    public static CutoverException runtime(String message, Throwable cause) {
        return new CutoverException(ExitCode.RUNTIME, message, cause);
    }

    /** Runtime failure (exit 3). */
    public static CutoverException runtime(String message) {
        return new CutoverException(ExitCode.RUNTIME, message);
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
