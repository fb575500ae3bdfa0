package cn.bazhong.credit.gateway.crypto;

/**
 * A value or key that cannot be used: a tag that does not authenticate (tampered, moved to another
 * field, wrong key), an unknown key id, a malformed value or key file. Its message never holds a
 * plaintext or key byte.
 */
public class CryptoException extends RuntimeException {

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
