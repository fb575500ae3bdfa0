package cn.bazhong.credit.gateway.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's JSON reads dates and instants by their digits ({@link IsoTimeReading}) with exactly the answers
 * (and the refusals) of Jackson's own java.time readers: on every shape the gateway writes, and on the shapes and
 * impossible values it does not.
 */
class IsoTimeReadingTest {

    /** Jackson's own readers, as the gateway had them. */
    private static final ObjectMapper PLAIN = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    private static final List<String> ODD = List.of("2025-02-30", "2025-02-29", "2024-02-29", "2025-13-01", "2025-00-10", "2025-1-01",
            "20250101", "2025/01/01", "+12025-01-01", "0000-01-01", "9999-12-31", " 2025-01-01", "2025-01-01 ", "２０２５-01-01", "",
            "2025-05-06T02:03:04Z", "2025-05-06T24:00:00Z", "2025-05-06T23:59:60Z", "2025-05-06T02:03:04.Z",
            "2025-05-06T02:03:04.1Z", "2025-05-06T02:03:04.12Z", "2025-05-06T02:03:04.1234Z", "2025-05-06T02:03:04.123456789Z",
            "2025-05-06T02:03:04.1234567890Z", "2025-05-06T02:03:04+08:00", "2025-05-06T02:03:04", "2025-05-06t02:03:04z",
            "2025-05-06T2:03:04Z", "2025-02-30T02:03:04Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "1969-12-31T23:59:59.5Z", "-1222-07-30T05:58:37.608829485Z", "2025-05-06T02:03:04.-12Z", "2025-05-06T02:03:04,123Z");

    @Test
    void every_date_and_instant_the_gateway_writes_reads_back_as_jackson_itself_reads_it() throws Exception {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(Math.floorMod(random.nextLong(), 253_402_300_800L), random.nextInt(1_000_000_000))
                    .truncatedTo(random.nextBoolean() ? java.time.temporal.ChronoUnit.SECONDS
                            : random.nextBoolean() ? java.time.temporal.ChronoUnit.MILLIS : java.time.temporal.ChronoUnit.NANOS);
            texts.add(RecordJson.mapper().writeValueAsString(at));
            texts.add(RecordJson.mapper().writeValueAsString(LocalDate.ofEpochDay(Math.floorMod(random.nextLong(), 2_932_896L))));
        }
        for (String text : texts) {
            assertSameAsJackson(text);
            // and by its digits, not through the formatter
            String unquoted = text.substring(1, text.length() - 1);
            assertThat(unquoted.length() == 10 ? IsoTimeReading.date(unquoted) : IsoTimeReading.instant(unquoted)).as(text).isNotNull();
        }
    }

    @Test
    void other_shapes_impossible_days_leap_seconds_and_numbers_get_jacksons_own_answer_or_refusal() throws Exception {
        for (String odd : ODD) {
            assertSameAsJackson(PLAIN.writeValueAsString(odd));
        }
        for (String number : List.of("1700000000", "1700000000.5", "-1", "[2025,5,6]", "null", "true")) {
            assertSameAsJackson(number);
        }
    }

    private static void assertSameAsJackson(String json) {
        for (Class<?> type : List.of(LocalDate.class, Instant.class)) {
            Object expected;
            try {
                expected = PLAIN.readValue(json, type);
            } catch (Exception e) {
                expected = e.getClass();
            }
            Object actual;
            try {
                actual = RecordJson.mapper().readValue(json, type);
            } catch (Exception e) {
                actual = e.getClass();
            }
            assertThat(actual).as(json + " as " + type.getSimpleName()).isEqualTo(expected);
        }
    }
}
