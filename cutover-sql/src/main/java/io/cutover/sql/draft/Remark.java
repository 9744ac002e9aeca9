package io.cutover.sql.draft;

/** A comment the draft writes into the plan: a {@code # TODO} where it could not decide, else a note. */
public record Remark(Kind kind, String text) {
    public enum Kind { TODO, NOTE }

    static Remark todo(String text) {
        return new Remark(Kind.TODO, text);
    }

    static Remark note(String text) {
        return new Remark(Kind.NOTE, text);
    }

    public boolean todo() {
        return kind == Kind.TODO;
    }
}
