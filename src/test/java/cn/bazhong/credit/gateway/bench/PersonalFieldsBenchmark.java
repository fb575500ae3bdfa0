package cn.bazhong.credit.gateway.bench;

import cn.bazhong.credit.gateway.crypto.Aead;
import cn.bazhong.credit.gateway.crypto.DataKey;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.crypto.KeyEncryptionKey;
import cn.bazhong.credit.gateway.crypto.KeyRing;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.AdminPenalty;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.Party;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.RecordKind;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.schema.Unit;
import cn.bazhong.credit.gateway.validation.IdNumber;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CPU cost of sealing personal fields, per record, in the two places every record pays it: writing a
 * record to {@code credit.records} (seal + JSON) and the province's wire document (open the batch data).
 * Records are penalties, half of them of a natural person (ID number and name sealed), half of an
 * organisation with a legal representative (the representative's number and name sealed). Each figure is
 * the thread's CPU time over the records of a round, best of the rounds after warm-up, beside the same
 * step without encryption. Run: {@code bench/personal-fields.sh [--records N] [--rounds R]}.
 */
public final class PersonalFieldsBenchmark {

    public static void main(String[] args) throws Exception {
        int records = 200_000;
        int rounds = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--records" -> records = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<CreditRecord> input = records(records);
        ObjectMapper json = RecordJson.mapper();
        System.out.printf(Locale.ROOT, "%d records (half persons, half organisations with a legal representative), %d rounds, best round%n",
                records, rounds);
        System.out.printf(Locale.ROOT, "%-44s %12s %12s%n", "step", "µs/record", "vs clear");
        double clearWrite = best(rounds, () -> {
            long n = 0;
            for (CreditRecord r : input) {
                n += json.writeValueAsBytes(r).length;
            }
            return n;
        });
        System.out.printf(Locale.ROOT, "%-44s %12.2f %12s%n", "record to JSON (no encryption)", clearWrite, "");
        for (Aead aead : Aead.values()) {
            SecureRandom random = new SecureRandom();
            KeyEncryptionKey kek = KeyEncryptionKey.generate("kek-bench", random);
            DataKey key = KeyRing.newDataKey(aead, kek, Clock.systemUTC(), random);
            PersonalFields fields = new PersonalFields(new FieldCipher(new KeyRing(List.of(key), key.id())));
            double sealWrite = best(rounds, () -> {
                long n = 0;
                for (CreditRecord r : input) {
                    n += json.writeValueAsBytes(fields.seal(r)).length;
                }
                return n;
            });
            List<CreditRecord> sealed = new ArrayList<>(input.size());
            for (CreditRecord r : input) {
                sealed.add(fields.seal(r));
            }
            checkRoundTrip(input, sealed, fields, json, aead);
            double open = best(rounds, () -> {
                long n = 0;
                for (CreditRecord r : sealed) {
                    n += fields.open(r.subject()).hashCode();
                }
                return n;
            });
            System.out.printf(Locale.ROOT, "%-44s %12.2f %+11.0f%%%n", "seal + record to JSON, " + aead.label(), sealWrite,
                    100 * (sealWrite - clearWrite) / clearWrite);
            System.out.printf(Locale.ROOT, "%-44s %12.2f %12s%n", "open a record's sealed fields, " + aead.label(), open, "");
        }
    }

    /**
     * What a run must get right, however fast the machine (the smoke mode's check): every sealed record holds its ID
     * number only sealed, and opens to the subject it was.
     */
    static void checkRoundTrip(List<CreditRecord> input, List<CreditRecord> sealed, PersonalFields fields, ObjectMapper json, Aead aead)
            throws Exception {
        for (int i = 0; i < input.size(); i++) {
            String written = new String(json.writeValueAsBytes(sealed.get(i)), java.nio.charset.StandardCharsets.UTF_8);
            String id = input.get(i).subject().idNumber() != null ? input.get(i).subject().idNumber()
                    : input.get(i).subject().legalRep().idNumber();
            if (written.contains(id)) {
                throw new IllegalStateException(aead.label() + ": record " + i + " holds its ID number in the clear once sealed");
            }
            if (!fields.open(sealed.get(i).subject()).equals(input.get(i).subject())) {
                throw new IllegalStateException(aead.label() + ": record " + i + "'s sealed subject does not open to the one sealed");
            }
        }
        System.out.printf(Locale.ROOT, "%s: every sealed record held no ID number in the clear and opened to its subject%n", aead.label());
    }

    interface Round {
        long run() throws Exception;
    }

    /** The best round's thread CPU time per record, in µs. */
    static double best(int rounds, Round round) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        long sink = 0;
        for (int i = 0; i < rounds + 1; i++) { // one round of warm-up
            long start = threads.getCurrentThreadCpuTime();
            sink += round.run();
            long cpu = threads.getCurrentThreadCpuTime() - start;
            if (i > 0) {
                best = Math.min(best, cpu / 1000.0);
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return best / RECORDS[0];
    }

    private static final int[] RECORDS = new int[1];

    static List<CreditRecord> records(int count) {
        RECORDS[0] = count;
        List<CreditRecord> out = new ArrayList<>(count);
        Unit authority = new Unit("巴中市市场监督管理局", "11511900MB1530038P");
        for (int i = 0; i < count; i++) {
            String first17 = String.format(Locale.ROOT, "5119021980%02d%02d%03d", 1 + i % 12, 1 + i % 28, i % 1000);
            String id = first17 + IdNumber.checkChar(first17);
            Subject subject = i % 2 == 0
                    ? new Subject(Subject.PERSON, "张" + i, null, null, null, null, null, null, null, "身份证", id)
                    : new Subject(Subject.ORGANISATION, "巴中市测试商贸有限公司" + i, "91511900MA6L7UDG0K", null, null, null, null, null,
                    new Party("李" + i, "身份证", id), null, null);
            AdminPenalty penalty = new AdminPenalty("巴市监罚〔2026〕" + i + "号", "违反食品安全规定", "经营超过保质期的食品",
                    "《中华人民共和国食品安全法》第一百二十四条", List.of("罚款"), "罚款1.5万元", new BigDecimal("1.5"), null, null,
                    LocalDate.of(2026, 3, 10), null, LocalDate.of(2029, 3, 10), authority, authority, null);
            out.add(new CreditRecord("SCJGJ:ADMIN_PENALTY:" + i, "v" + i, RecordKind.ADMIN_PENALTY, Operation.UPSERT,
                    String.valueOf(i), subject, penalty, null, null, null));
        }
        return out;
    }
}
