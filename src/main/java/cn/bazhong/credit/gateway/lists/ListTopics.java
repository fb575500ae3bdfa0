package cn.bazhong.credit.gateway.lists;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * The topics of the list state ({@code gateway.lists.*}; the other keys there are bound by
 * {@link ListStateSettings} and, for the collection side, {@code ingest.ListIntakeSettings}).
 *
 * @param stateTopic       compacted: the current state of every entry, key {@code subjectKey|recordId}
 * @param changesTopic     every list change, key = subject key; kept for {@code changesRetention} so that a
 *                         department can be replayed from a point in time within it
 * @param changesRetention how long list changes stay replayable
 */
@ConfigurationProperties(prefix = "gateway.lists")
public record ListTopics(String stateTopic, String changesTopic, Duration changesRetention) {
}
