package io.cutover.sql.state;

import java.sql.SQLException;

/** Why a row was skipped. */
public enum ErrorKind {
    DANGLING_REFERENCE, CONSTRAINT, CONVERSION, TRANSFORM;

    /** The kind of a row's write failure, from its SQLSTATE class (23 integrity, 22 data). */
    public static ErrorKind of(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("22")) {
            return CONVERSION;
        }
        return CONSTRAINT;
    }

    public String label() {
        return name().toLowerCase();
    }
}
