package cn.bazhong.credit.gateway.console;

import cn.bazhong.credit.gateway.security.Caller;
import cn.bazhong.credit.gateway.support.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleSessionsTest {

    final MutableClock clock = new MutableClock(ZoneId.of("Asia/Shanghai"));
    final ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), clock);

    @Test
    void a_session_used_within_the_timeout_lives_on_and_one_left_idle_for_the_timeout_is_gone() {
        ConsoleSessions.Session s = sessions.open(Caller.viewer("watch"));
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.use(s.id())).contains(s);
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.use(s.id())).as("used 29 minutes ago").contains(s);
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.use(s.id())).as("idle for 30 minutes").isEmpty();
        assertThat(sessions.use(s.id())).isEmpty();
    }

    @Test
    void a_closed_or_unknown_session_is_no_session_and_every_session_has_its_own_id_and_token() {
        ConsoleSessions.Session a = sessions.open(Caller.admin("ops"));
        ConsoleSessions.Session b = sessions.open(Caller.admin("ops"));
        assertThat(a.id()).isNotEqualTo(b.id()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken()).isNotEqualTo(a.id());
        sessions.close(a.id());
        assertThat(sessions.use(a.id())).isEmpty();
        assertThat(sessions.use(b.id())).contains(b);
        assertThat(sessions.use("made-up")).isEmpty();
        assertThat(sessions.use(null)).isEmpty();
    }

    @Test
    void tokens_are_compared_whole() {
        assertThat(ConsoleSessions.same("abc", "abc")).isTrue();
        assertThat(ConsoleSessions.same("abc", "abd")).isFalse();
        assertThat(ConsoleSessions.same("abc", "ab")).isFalse();
        assertThat(ConsoleSessions.same("abc", null)).isFalse();
        assertThat(ConsoleSessions.same(null, null)).isFalse();
    }
}
