package cn.bazhong.credit.gateway.security;

/** An authenticated caller: a department (by its code) or an operator. */
public record Caller(String department, boolean operator) {

    public static Caller ofDepartment(String code) {
        return new Caller(code, false);
    }

    public static Caller ofOperator(String name) {
        return new Caller(name, true);
    }

    public boolean mayActFor(String departmentCode) {
        return operator || department.equalsIgnoreCase(departmentCode);
    }
}
