package cn.bazhong.credit.gateway.privacy;

import cn.bazhong.credit.gateway.crypto.CryptoException;
import cn.bazhong.credit.gateway.crypto.EncryptedValue;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.PersonalData;
import cn.bazhong.credit.gateway.schema.Subject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seals and opens the personal fields of credit records (credit-schema.md, "Personal data": encrypted
 * wherever it is kept). Sealed are the subject's ID number (whatever its category), the ID numbers and
 * names of the persons behind it (legal representative, principal, other responsible person), and the subject's name when the subject is a natural person; each
 * becomes an {@link EncryptedValue} string of the {@link FieldCipher} (SM4-GCM or AES-256-GCM under the
 * current data key). The associated data binds a value to what it is ({@link #ID_NUMBER} or {@link #NAME}),
 * not to where it sits, so that a legal representative's sealed number can become the subject of the
 * entry linked to that person without being opened.
 *
 * <p>Without a cipher ({@link #CLEAR}, encryption switched off) sealing changes nothing, and opening a value
 * that is sealed fails with the reason: data written under encryption needs the key ring to be read.
 * Sealing is idempotent and opening a clear value returns it, so records written before encryption was
 * switched on stay readable.
 */
public final class PersonalFields {

    /** What an ID number is sealed as, wherever it sits in a record. */
    public static final String ID_NUMBER = "person.idNumber";
    /** What a natural person's name is sealed as. */
    public static final String NAME = "person.name";

    /**
     * What a department's raw message is sealed as where the gateway keeps one it could not read (a Kafka
     * feed's dead-letter topic): the message's bytes in base64, since they may be in any encoding.
     */
    public static final String RAW_MESSAGE = "feed.message";

    /** No encryption: the gateway keeps personal fields in the clear (development only; production refuses). */
    public static final PersonalFields CLEAR = new PersonalFields(null);

    private final FieldCipher cipher;

    public PersonalFields(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** Whether values are sealed (a cipher is configured). */
    public boolean sealing() {
        return cipher != null;
    }

    public static boolean isSealed(String value) {
        return EncryptedValue.looksEncrypted(value);
    }

    // --- sealing ---------------------------------------------------------------------------------------------

    public CreditRecord seal(CreditRecord r) {
        if (cipher == null || r == null || r.subject() == null) {
            return r;
        }
        Subject s = seal(r.subject());
        return s == r.subject() ? r : r.withSubject(r.recordId(), r.businessKey(), s);
    }

    public Subject seal(Subject s) {
        if (cipher == null || s == null) {
            return s;
        }
        Subject p = s.withPersons(rep -> new Party(seal(NAME, rep.name()), rep.idType(), seal(ID_NUMBER, rep.idNumber())));
        return new Subject(s.category(), s.isPerson() ? seal(NAME, s.name()) : s.name(), s.uscc(), s.regNo(), s.orgCode(),
                s.taxNo(), s.institutionNo(), s.socialOrgNo(), p.legalRep(), s.idType(), seal(ID_NUMBER, s.idNumber()),
                p.principal(), p.responsible());
    }

    /** {@code value} sealed as {@code what} ({@link #ID_NUMBER} or {@link #NAME}); null, blank and sealed values as they are. */
    public String seal(String what, String value) {
        if (cipher == null || value == null || value.isBlank() || isSealed(value)) {
            return value;
        }
        return cipher.encrypt(what, value);
    }

    /** A raw message sealed as {@link #RAW_MESSAGE} (UTF-8 of the sealed text), or the bytes themselves when sealing is off. */
    public byte[] sealRaw(byte[] message) {
        if (cipher == null || message == null) {
            return message;
        }
        return cipher.encrypt(RAW_MESSAGE, java.util.Base64.getEncoder().encodeToString(message)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The bytes of a raw message sealed by {@link #sealRaw}; bytes that are not sealed as they are. */
    public byte[] openRaw(byte[] stored) {
        String text = stored == null ? null : new String(stored, java.nio.charset.StandardCharsets.UTF_8);
        return isSealed(text) ? java.util.Base64.getDecoder().decode(open(RAW_MESSAGE, text)) : stored;
    }

    // --- re-encryption -----------------------------------------------------------------------------------------

    /**
     * The re-encryption step for one kept value, wherever it sits: a sealed value under an older data key,
     * sealed again under the current one; a value already under it, or not sealed, as it is. What the value
     * is sealed as is found by authentication (a number, a name or a raw message), so the caller needs no
     * table of field names; a value that authenticates as none of them is never rewritten.
     *
     * @throws CryptoException when the value opens as nothing, or sealing is off
     */
    public String reseal(String value) {
        if (!isSealed(value)) {
            return value;
        }
        if (cipher == null) {
            throw new CryptoException("re-encryption needs the field cipher: gateway.crypto.fields.enabled with the key ring");
        }
        if (cipher.isCurrent(value)) {
            return value;
        }
        for (String what : new String[] {ID_NUMBER, NAME, RAW_MESSAGE}) {
            try {
                return cipher.reencrypt(what, value);
            } catch (CryptoException notThis) {
                // next
            }
        }
        throw new CryptoException("a kept value " + cn.bazhong.credit.gateway.crypto.EncryptedValue.parse(value)
                + " opens neither as an ID number, a name nor a raw message: altered, or its data key is not in the ring");
    }

    // --- opening ---------------------------------------------------------------------------------------------

    public CreditRecord open(CreditRecord r) {
        if (r == null || r.subject() == null) {
            return r;
        }
        Subject s = open(r.subject());
        return s == r.subject() ? r : r.withSubject(r.recordId(), r.businessKey(), s);
    }

    public Subject open(Subject s) {
        if (s == null || !hasSealed(s)) {
            return s;
        }
        Subject p = s.withPersons(rep -> new Party(open(NAME, rep.name()), rep.idType(), open(ID_NUMBER, rep.idNumber())));
        return new Subject(s.category(), open(NAME, s.name()), s.uscc(), s.regNo(), s.orgCode(), s.taxNo(), s.institutionNo(),
                s.socialOrgNo(), p.legalRep(), s.idType(), open(ID_NUMBER, s.idNumber()), p.principal(), p.responsible());
    }

    /**
     * The clear {@code value} sealed as {@code what}; a clear value as it is.
     *
     * @throws CryptoException when the value is sealed and encryption is off, its key is not in the ring, or
     *                         it does not authenticate
     */
    public String open(String what, String value) {
        if (!isSealed(value)) {
            return value;
        }
        if (cipher == null) {
            throw new CryptoException("a stored " + what + " is encrypted but field encryption is off: set "
                    + "gateway.crypto.fields.enabled=true with the key ring it was written under");
        }
        return cipher.decrypt(what, value);
    }

    /** The subject as anyone without the duty to see the full number may see it: opened, ID numbers masked. */
    public Subject masked(Subject s) {
        return PersonalData.masked(open(s));
    }

    /** The subject's code as a department sees it: in full when it may, masked otherwise. */
    public String code(Subject s, boolean full) {
        if (s == null) {
            return null;
        }
        Subject open = open(s);
        return full ? open.code() : PersonalData.masked(open).code();
    }

    /**
     * The national-code data of a record (NationalCodes.data) with its sealed values opened: the wire form the
     * province receives. ID numbers sit under keys ending in {@code ZJHM} or named {@code idNumber}; every
     * other sealed value is a name. Nested maps (the JSON form of list entries) are opened too.
     */
    public Map<String, Object> openNational(Map<String, Object> data) {
        if (data == null || !hasSealedValue(data)) {
            return data;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, openNationalValue(k, v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object openNationalValue(String key, Object v) {
        if (v instanceof String text && isSealed(text)) {
            return open(key.endsWith("ZJHM") || key.equals("idNumber") ? ID_NUMBER : NAME, text);
        }
        if (v instanceof Map<?, ?> nested) {
            return openNational((Map<String, Object>) nested);
        }
        return v;
    }

    private static boolean hasSealedValue(Map<?, ?> data) {
        for (Object v : data.values()) {
            if (v instanceof String text && isSealed(text) || v instanceof Map<?, ?> nested && hasSealedValue(nested)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSealed(Subject s) {
        return isSealed(s.idNumber()) || isSealed(s.name())
                || sealed(s.legalRep()) || sealed(s.principal()) || sealed(s.responsible());
    }

    private static boolean sealed(Party p) {
        return p != null && (isSealed(p.idNumber()) || isSealed(p.name()));
    }
}
