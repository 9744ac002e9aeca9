package io.cutover.sql.draft;

import io.cutover.core.config.EnvSubstitution;
import io.cutover.sql.SqlMigration;
import io.cutover.sql.TestDb;
import io.cutover.sql.draft.DraftStep.RefMapping;
import io.cutover.sql.plan.Endpoint;
import io.cutover.sql.plan.Plan;
import io.cutover.sql.plan.PlanLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Shapes Chinook does not have, on H2: a reference cycle, reserved and quoted names; and the name rules. */
class DraftShapesTest {
    @Test
    void aReferenceCycleIsBrokenAtItsNullableRefAndTheRestPassesCheck() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt = TestDb.create(TestDb.Kind.H2)) {
            for (TestDb db : new TestDb[] {src, tgt}) {
                db.exec("CREATE TABLE store (store_id INT PRIMARY KEY, manager_staff_id INT NOT NULL, last_update TIMESTAMP)",
                        "CREATE TABLE staff (staff_id INT PRIMARY KEY, store_id INT, last_update TIMESTAMP)",
                        "ALTER TABLE store ADD FOREIGN KEY (manager_staff_id) REFERENCES staff(staff_id)",
                        "ALTER TABLE staff ADD FOREIGN KEY (store_id) REFERENCES store(store_id)");
            }
            Draft d = PlanDrafter.draft(new Endpoint(src.url, src.user, ""), new Endpoint(tgt.url, tgt.user, ""));
            RefMapping staffStore = d.steps().stream().filter(s -> s.name().equals("staff")).findFirst().orElseThrow().refs().get(0);
            assertThat(staffStore.active()).isFalse();
            assertThat(staffStore.remark().text()).contains("closes the reference cycle");
            RefMapping manager = d.steps().stream().filter(s -> s.name().equals("store")).findFirst().orElseThrow().refs().get(0);
            assertThat(manager.active()).isTrue();
            assertThat(d.steps().get(0).name()).isEqualTo("staff");
            assertThat(d.yaml()).contains("# STORE_ID: {from: STORE_ID, step: store}  # TODO: closes the reference cycle");

            Plan plan = new PlanLoader(new EnvSubstitution(n -> null)).parse(d.yaml(), "drafted.yaml");
            try (SqlMigration m = new SqlMigration(plan, 2)) {
                assertThat(m.check().problems()).isEmpty();
            }
        }
    }

    @Test
    void namesThatNeedQuotesAreQuotedOnTheSourceSide() throws Exception {
        try (TestDb src = TestDb.create(TestDb.Kind.H2); TestDb tgt = TestDb.create(TestDb.Kind.H2)) {
            src.exec("CREATE TABLE \"Order\" (\"Id\" INT PRIMARY KEY, \"user\" VARCHAR(20), \"Modified\" TIMESTAMP)");
            tgt.exec("CREATE TABLE orders_ (id INT PRIMARY KEY)", "CREATE TABLE \"order\" (id INT PRIMARY KEY, user_ VARCHAR(20))");
            Draft d = PlanDrafter.draft(new Endpoint(src.url, src.user, ""), new Endpoint(tgt.url, tgt.user, ""));
            DraftStep s = d.steps().get(0);
            assertThat(s.from()).isEqualTo("\"Order\"");
            assertThat(s.key()).containsExactly("\"Id\"");
            assertThat(s.changed()).containsExactly("\"Modified\"");
            assertThat(s.into()).isEqualTo("\"order\"");
            assertThat(s.remarks()).anyMatch(r -> r.todo() && r.text().contains("needs quotes"));
            assertThat(d.yaml()).contains("from: '\"Order\"'", "USER_: '\"user\"'");
            Plan plan = new PlanLoader(new EnvSubstitution(n -> null)).parse(d.yaml(), "drafted.yaml");
            assertThat(plan.steps().get(0).from()).isEqualTo("\"Order\"");
        }
    }

    @Test
    void namesCompareAcrossCaseAndUnderscores() {
        assertThat(Names.fold("InvoiceLine")).isEqualTo(Names.fold("invoice_line")).isEqualTo(Names.fold("INVOICELINE"));
        assertThat(Names.snake("InvoiceLine")).isEqualTo("invoice_line");
        assertThat(Names.snake("HTTPServer2")).isEqualTo("http_server2");
        assertThat(Names.snake("2fa codes")).isEqualTo("t_2fa_codes");
        assertThat(java.util.List.of("created_at", "UpdatedAt", "last_update", "LastUpdate", "modified", "last_modified",
                "creation_date", "updated_on", "ModifiedDate")).allMatch(Names::isChangeTime);
        assertThat(java.util.List.of("InvoiceDate", "birth_date", "hire_date", "deleted_at", "created_by", "update_count"))
                .noneMatch(Names::isChangeTime);
        assertThat(Names.isCreation("CreatedAt")).isTrue();
        assertThat(Names.isCreation("last_update")).isFalse();
    }

    @Test
    void aPasswordInTheUrlIsNotWritten() {
        assertThat(PlanWriter.withoutPassword("jdbc:postgresql://db:5432/shop?user=app&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/shop?user=app&ssl=true");
        assertThat(PlanWriter.withoutPassword("jdbc:mariadb://db/shop?password=s3cret")).isEqualTo("jdbc:mariadb://db/shop");
        assertThat(PlanWriter.withoutPassword("jdbc:mysql://app:s3cret@db/shop")).isEqualTo("jdbc:mysql://app@db/shop");
        assertThat(PlanWriter.withoutPassword("jdbc:h2:mem:x;PASSWORD=s3cret;DB_CLOSE_DELAY=-1")).isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
    }
}
