package cn.bazhong.credit.gateway.security;

import java.util.Locale;

/**
 * An authenticated caller. Four kinds, each with its own rights (docs/api.md, "Who may call
 * what"): a department acts only for itself; the province only pushes list updates; an operator is a
 * {@code VIEWER} (reads) or an {@code ADMIN} (reads, replays, enables, decisions). No kind acts as another.
 *
 * @param kind what the caller is
 * @param name the department's code (upper case) for a department, {@code PROVINCE} for the province, the
 *             operator's configured name for operators
 */
public record Caller(Kind kind, String name) {

    public enum Kind {
        DEPARTMENT, PROVINCE, VIEWER, ADMIN;

        /** The word used in configuration, logs and documents. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String PROVINCE_NAME = "PROVINCE";

    public static Caller department(String code) {
        return new Caller(Kind.DEPARTMENT, code.toUpperCase(Locale.ROOT));
    }

    public static Caller province() {
        return new Caller(Kind.PROVINCE, PROVINCE_NAME);
    }

    public static Caller viewer(String name) {
        return new Caller(Kind.VIEWER, name);
    }

    public static Caller admin(String name) {
        return new Caller(Kind.ADMIN, name);
    }

    public boolean isDepartment() {
        return kind == Kind.DEPARTMENT;
    }

    /** A department caller whose code is {@code code}. */
    public boolean isDepartment(String code) {
        return kind == Kind.DEPARTMENT && name.equalsIgnoreCase(code);
    }

    /** Viewer or admin: a person of the credit office. */
    public boolean isOperator() {
        return kind == Kind.VIEWER || kind == Kind.ADMIN;
    }

    public boolean isAdmin() {
        return kind == Kind.ADMIN;
    }

    /** The department's code; for other kinds an {@link IllegalStateException} (they have none). */
    public String departmentCode() {
        if (kind != Kind.DEPARTMENT) {
            throw new IllegalStateException(kind.word() + " " + name + " is not a department");
        }
        return name;
    }

    /** How logs and the access log name the caller, e.g. {@code department SCJGJ}, {@code admin ops}. */
    @Override
    public String toString() {
        return kind.word() + " " + name;
    }
}
