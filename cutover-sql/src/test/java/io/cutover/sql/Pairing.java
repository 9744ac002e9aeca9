package io.cutover.sql;

/** The source → target pairings every scenario runs on. */
public enum Pairing {
    PG_TO_PG(TestDb.Kind.PG, TestDb.Kind.PG),
    H2_TO_H2(TestDb.Kind.H2, TestDb.Kind.H2),
    PG_TO_MARIADB(TestDb.Kind.PG, TestDb.Kind.MARIADB),
    MARIADB_TO_PG(TestDb.Kind.MARIADB, TestDb.Kind.PG);

    public final TestDb.Kind source;
    public final TestDb.Kind target;

    Pairing(TestDb.Kind source, TestDb.Kind target) {
        this.source = source;
        this.target = target;
    }
}
