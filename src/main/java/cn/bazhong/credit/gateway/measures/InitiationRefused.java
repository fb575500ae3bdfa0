package cn.bazhong.credit.gateway.measures;

/** A department's answer that cannot be taken, with why (the API turns the reason into a status). */
public class InitiationRefused extends RuntimeException {

    public enum Reason { UNKNOWN, NOT_YOURS, CANCELLED, CONFLICT, INVALID }

    private final Reason reason;

    public InitiationRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
