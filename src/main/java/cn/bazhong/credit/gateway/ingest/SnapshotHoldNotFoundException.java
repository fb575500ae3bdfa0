package cn.bazhong.credit.gateway.ingest;

/** No snapshot exit hold has this id (an HTTP layer answers 404). */
public class SnapshotHoldNotFoundException extends RuntimeException {

    private final String holdId;

    public SnapshotHoldNotFoundException(String holdId) {
        super("no snapshot exit hold " + holdId);
        this.holdId = holdId;
    }

    public String holdId() {
        return holdId;
    }
}
