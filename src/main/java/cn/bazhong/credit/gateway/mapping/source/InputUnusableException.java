package cn.bazhong.credit.gateway.mapping.source;

/** The input as a whole cannot be read in the declared format (not a single record can be taken from it). */
public class InputUnusableException extends RuntimeException {
    public InputUnusableException(String message, Throwable cause) {
        super(message, cause);
    }

    public InputUnusableException(String message) {
        super(message);
    }
}
