package cn.bazhong.credit.gateway.privacy;

import cn.bazhong.credit.gateway.crypto.Aead;
import cn.bazhong.credit.gateway.crypto.CryptoException;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.crypto.KeyEncryptionKey;
import cn.bazhong.credit.gateway.crypto.KeyRing;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.Subject;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is sealed in a subject, how it opens, and what stays as it is. */
class PersonalFieldsTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final KeyEncryptionKey KEK = KeyEncryptionKey.generate("kek-1", RANDOM);
    static final PersonalFields FIELDS = new PersonalFields(new FieldCipher(ring()));

    static KeyRing ring() {
        var key = KeyRing.newDataKey(Aead.SM4_GCM, KEK, Clock.systemUTC(), RANDOM);
        return new KeyRing(List.of(key), key.id());
    }

    static final String PERSON_ID = "511903196012073255";
    static final String REP_ID = "511902195009250256";

    static Subject person() {
        return new Subject(Subject.PERSON, "乔建", null, null, null, null, null, null, null, "身份证", PERSON_ID);
    }

    static Subject organisation() {
        return new Subject(Subject.ORGANISATION, "乙公司", "91511903XFWA2JK10D", null, null, null, null, null,
                new Party("孔洋敏", "身份证", REP_ID), null, null);
    }

    @Test
    void a_person_s_number_and_name_are_sealed_and_open_to_what_they_were() {
        Subject sealed = FIELDS.seal(person());
        assertThat(sealed.idNumber()).startsWith("enc:v1:kek-1:").doesNotContain(PERSON_ID);
        assertThat(sealed.name()).startsWith("enc:v1:");
        assertThat(sealed.category()).isEqualTo(Subject.PERSON);
        assertThat(FIELDS.open(sealed)).isEqualTo(person());
        // each sealing is fresh (random nonce), and sealing twice does not wrap a sealed value again
        assertThat(FIELDS.seal(person()).idNumber()).isNotEqualTo(sealed.idNumber());
        assertThat(FIELDS.seal(sealed)).isEqualTo(sealed);
    }

    @Test
    void an_organisation_keeps_its_name_and_code_and_its_legal_representative_is_sealed() {
        Subject sealed = FIELDS.seal(organisation());
        assertThat(sealed.name()).isEqualTo("乙公司");
        assertThat(sealed.uscc()).isEqualTo("91511903XFWA2JK10D");
        assertThat(sealed.legalRep().idNumber()).startsWith("enc:v1:");
        assertThat(sealed.legalRep().name()).startsWith("enc:v1:");
        assertThat(sealed.legalRep().idType()).isEqualTo("身份证");
        assertThat(FIELDS.open(sealed)).isEqualTo(organisation());
        assertThat(FIELDS.code(sealed, false)).isEqualTo("91511903XFWA2JK10D");
    }

    @Test
    void the_principal_and_the_other_responsible_person_are_sealed_like_the_legal_representative_and_masked_when_shown() {
        String principalId = "511923198804123016";
        Subject org = new Subject(Subject.ORGANISATION, "乙公司", "91511903XFWA2JK10D", null, null, null, null, null,
                new Party("孔洋敏", "身份证", REP_ID), null, null, new Party("钱进", "身份证", principalId), new Party("孙力", null, null));
        Subject sealed = FIELDS.seal(org);
        assertThat(sealed.principal().idNumber()).startsWith("enc:v1:").doesNotContain(principalId);
        assertThat(sealed.principal().name()).startsWith("enc:v1:");
        assertThat(sealed.responsible().name()).as("a name-only person's name is sealed too").startsWith("enc:v1:");
        assertThat(sealed.responsible().idNumber()).isNull();
        assertThat(FIELDS.open(sealed)).isEqualTo(org);
        Subject shown = FIELDS.masked(sealed);
        assertThat(shown.principal().idNumber()).isEqualTo("511923********3016");
        assertThat(shown.principal().name()).isEqualTo("钱进");
        assertThat(shown.persons()).containsOnlyKeys(Subject.LEGAL_REP, Subject.PRINCIPAL, Subject.RESPONSIBLE);
        assertThat(shown.persons().get(Subject.RESPONSIBLE).hasIdNumber()).isFalse();
    }

    @Test
    void a_sealed_number_can_move_from_legal_representative_to_subject_and_still_open() {
        Subject org = FIELDS.seal(organisation());
        Subject rep = new Subject(Subject.PERSON, org.legalRep().name(), null, null, null, null, null, null, null, "身份证",
                org.legalRep().idNumber());
        assertThat(FIELDS.open(rep).idNumber()).isEqualTo(REP_ID);
        assertThat(FIELDS.code(rep, true)).isEqualTo(REP_ID);
        assertThat(FIELDS.code(rep, false)).isEqualTo("511902********0256");
        assertThat(FIELDS.masked(rep).name()).isEqualTo("孔洋敏");
    }

    @Test
    void a_name_sealed_in_place_of_a_number_does_not_open() {
        Subject sealed = FIELDS.seal(person());
        Subject swapped = new Subject(Subject.PERSON, sealed.name(), null, null, null, null, null, null, null, "身份证", sealed.name());
        assertThatThrownBy(() -> FIELDS.open(swapped)).isInstanceOf(CryptoException.class).hasMessageContaining("does not authenticate");
    }

    @Test
    void clear_values_written_before_encryption_stay_readable_and_sealed_ones_need_the_keys() {
        assertThat(FIELDS.open(person())).isEqualTo(person());
        assertThat(PersonalFields.CLEAR.seal(person())).isEqualTo(person());
        Subject sealed = FIELDS.seal(person());
        assertThatThrownBy(() -> PersonalFields.CLEAR.open(sealed)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("gateway.crypto.fields.enabled");
        assertThatThrownBy(() -> new PersonalFields(new FieldCipher(ring())).open(sealed)).isInstanceOf(CryptoException.class)
                .hasMessageContaining("not in the key ring");
    }

    @Test
    void the_wire_data_of_a_batch_opens_numbers_and_names_in_both_record_forms() {
        Subject sealed = FIELDS.seal(organisation());
        Map<String, Object> national = new LinkedHashMap<>();
        national.put("XDR_MC", sealed.name());
        national.put("FRDB", sealed.legalRep().name());
        national.put("FR_ZJHM", sealed.legalRep().idNumber());
        national.put("XDR_ZJHM", FIELDS.seal(PersonalFields.ID_NUMBER, PERSON_ID));
        assertThat(FIELDS.openNational(national)).containsEntry("XDR_MC", "乙公司").containsEntry("FRDB", "孔洋敏")
                .containsEntry("FR_ZJHM", REP_ID).containsEntry("XDR_ZJHM", PERSON_ID);

        Map<String, Object> legalRep = Map.of("name", sealed.legalRep().name(), "idNumber", sealed.legalRep().idNumber());
        Map<String, Object> entry = Map.of("listType", "TAX_A", "subject", Map.of("name", "乙公司", "legalRep", legalRep));
        assertThat(FIELDS.openNational(entry).toString()).contains("idNumber=" + REP_ID).contains("name=孔洋敏").doesNotContain("enc:");
        Map<String, Object> clear = Map.of("XDR_MC", "乙公司");
        assertThat(FIELDS.openNational(clear)).isSameAs(clear);
    }

    @Test
    void a_raw_message_is_sealed_whole_in_any_encoding_and_opens_byte_for_byte() {
        byte[] gbk = ("{\"fddbrzjhm\": \"" + REP_ID + "\", \"fddbr\": \"孔洋敏\"}").getBytes(java.nio.charset.Charset.forName("GBK"));
        byte[] sealed = FIELDS.sealRaw(gbk);
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.UTF_8)).startsWith("enc:v1:").doesNotContain(REP_ID);
        assertThat(FIELDS.openRaw(sealed)).isEqualTo(gbk);
        assertThat(PersonalFields.CLEAR.sealRaw(gbk)).isSameAs(gbk);
        assertThat(FIELDS.openRaw(gbk)).isSameAs(gbk);
    }
}
