package cn.bazhong.credit.gateway.fanout;

/** A push would carry a measure that no catalog entry backs (or one without its legal basis): it is never sent. */
public class UncataloguedMeasureException extends RuntimeException {

    public UncataloguedMeasureException(String message) {
        super(message);
    }
}
