package io.cutover.sql.plan;

/** Where a database is: a JDBC URL and credentials (the password usually comes from {@code ${ENV}}). */
public record Endpoint(String url, String user, String password) {
    @Override
    public String toString() {
        return url;
    }
}
