package cn.bazhong.credit.gateway.mapping;

import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

/** The court's XML snapshot: records by ordinal, exits, and no way in for XXE or entity expansion. */
class CourtXmlTest {

    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private static String record(String ah, String type, String zjhm, String zt, String extra) {
        return "<record><ah>" + ah + "</ah><zxfy>四川省巴中市中级人民法院</zxfy><bzxrmc>某某</bzxrmc><bzxrlx>" + type
                + "</bzxrlx><zjhm>" + zjhm + "</zjhm><yw>支付货款</yw><sxqx>违反限制消费令</sxqx><fbsj>2024-01-07</fbsj><zt>" + zt
                + "</zt>" + extra + "</record>";
    }

    private static MappedFeed map(String xml) {
        return MappedFeed.map("zjfy-defaulters", xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void records_are_numbered_by_ordinal_and_exits_carry_their_date() {
        MappedFeed feed = map(HEAD + "<sxbzxrList xmlns=\"urn:court:sxbzxr:1\">\n"
                + record("（2024）川19执1号", "法人或其他组织", "92511922MA6HYTXY6B", "在列", "<fddbr>余静强</fddbr>") + "\n"
                + record("（2024）川19执2号", "自然人", "511903198012265897", "已移出", "<ycsj>2025-01-02</ycsj>") + "\n"
                + record("（2024）川19执3号", "自然人", "511903198012265897", "暂停", "") + "\n"
                + "</sxbzxrList>");

        CreditRecord business = feed.accepted(1);
        assertThat(business.subject().category()).isEqualTo("个体工商户");
        assertThat(business.entry().status()).isEqualTo(ListStatus.ACTIVE);
        CreditRecord exited = feed.accepted(2);
        assertThat(exited.entry().status()).isEqualTo(ListStatus.EXITED);
        assertThat(exited.entry().exitDate()).isEqualTo(LocalDate.of(2025, 1, 2));
        assertThat(exited.subject().idNumber()).isEqualTo("511903198012265897");
        assertThat(feed.rejected(3)).extracting(Violation::field, v -> v.rule().code()).containsExactly("zt", "enum");
    }

    @Test
    void a_byte_that_is_not_utf8_rejects_its_field_with_rule_encoding_and_the_records_after_it_are_read() {
        byte[] head = (HEAD + "<sxbzxrList xmlns=\"urn:court:sxbzxr:1\">\n"
                + record("（2024）川19执1号", "自然人", "511903198012265897", "在列", "") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] broken = (record("（2024）川19执2号", "自然人", "511903198012265897", "在列", "") + "\n").getBytes(StandardCharsets.UTF_8);
        int name = indexOf(broken, "某某".getBytes(StandardCharsets.UTF_8));
        broken[name + 1] = (byte) 0x41; // the second byte of 某 is no continuation byte any more
        byte[] tail = (record("（2024）川19执3号", "自然人", "511903198012265897", "在列", "") + "\n</sxbzxrList>")
                .getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.writeBytes(head);
        all.writeBytes(broken);
        all.writeBytes(tail);

        MappedFeed feed = MappedFeed.map("zjfy-defaulters", all.toByteArray());

        assertThat(feed.accepted(1).entry().documentNo()).isEqualTo("（2024）川19执1号");
        assertThat(feed.rejected(2)).extracting(Violation::field, v -> v.rule().code()).containsExactly("bzxrmc", "encoding");
        assertThat(feed.accepted(3).entry().documentNo()).isEqualTo("（2024）川19执3号");
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void records_in_another_namespace_are_not_taken_for_court_records() {
        MappedFeed feed = map(HEAD + "<list xmlns=\"urn:other\">"
                + record("（2024）川19执1号", "自然人", "511903198012265897", "在列", "") + "</list>");

        assertThat(feed.results()).isEmpty();
    }

    @Test
    void an_external_entity_never_reads_a_local_file(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xml = HEAD + "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<sxbzxrList xmlns=\"urn:court:sxbzxr:1\">"
                + record("（2024）川19执1号", "自然人", "511903198012265897", "在列", "<lxqk>&x;</lxqk>") + "</sxbzxrList>";

        MappedFeed feed = map(xml);

        assertThat(feed.results()).allSatisfy(r -> {
            if (r instanceof MappingResult.Accepted a) {
                assertThat(a.record().entry().attributes()).doesNotContainValue("TOP-SECRET");
            }
        });
        assertThat(feed.results().toString()).doesNotContain("TOP-SECRET");
    }

    @Test
    void an_entity_expansion_bomb_is_refused_instead_of_expanded() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE r [<!ENTITY a0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY a").append(i).append(" \"").append(("&a" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        String xml = HEAD + dtd + "<sxbzxrList xmlns=\"urn:court:sxbzxr:1\">"
                + record("（2024）川19执1号", "自然人", "511903198012265897", "在列", "<lxqk>&a9;</lxqk>") + "</sxbzxrList>";

        MappedFeed feed = map(xml);

        assertThat(feed.results()).hasSize(1);
        assertThat(feed.rejected(1).rule().code()).isEqualTo("syntax");
    }
}
