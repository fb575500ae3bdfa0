package cn.bazhong.credit.gateway.feeds;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the database feeds keep their place ({@code gateway.feed-watermarks.*}).
 *
 * @param topic compacted topic of the database feeds' watermarks (where each feed stands in its table)
 */
@Validated
@ConfigurationProperties(prefix = "gateway.feed-watermarks")
public record FeedWatermarkSettings(@DefaultValue("credit.feed-watermarks") @NotBlank String topic) {
}
