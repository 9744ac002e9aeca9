package io.cutover.router.lists;

/** Where a list comes from. Implementations may throw anything; the reloader survives it. */
public interface AllowlistSource {

    /**
     * Fetches the list unless it is unchanged since {@code previousVersion} (null on the first fetch).
     *
     * @return the new content, or {@link Fetched#NOT_MODIFIED}
     */
    Fetched fetch(String previousVersion) throws Exception;

    /** A human description for logs and {@code /routes}. */
    String describe();

    /** The result of a fetch: the text and a version tag (ETag or content hash), or not modified. */
    record Fetched(String text, String version) {
        /** The source says nothing changed. */
        public static final Fetched NOT_MODIFIED = new Fetched(null, null);

        public boolean notModified() {
            return this == NOT_MODIFIED;
        }
    }
}
