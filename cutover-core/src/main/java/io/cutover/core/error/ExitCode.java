package io.cutover.core.error;

/** Process exit codes shared by every cutover command. */
public enum ExitCode {
    /** Done and clean. */
    OK(0),
    /** Done, but differences or row errors were found and reported. */
    DIFFERENCES(1),
    /** Bad usage or configuration; nothing was written. */
    USAGE(2),
    /** Runtime failure: connection lost, server refused. */
    RUNTIME(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
