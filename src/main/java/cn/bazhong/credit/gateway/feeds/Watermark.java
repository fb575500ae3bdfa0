package cn.bazhong.credit.gateway.feeds;

import java.time.LocalDateTime;

/**
 * Where a database feed stands in its table: the update time and key of the last row taken. The
 * next page holds the rows after it in the order (update time, key), so rows sharing an update time
 * are neither skipped nor read twice. Stored as {@code <ISO local date-time>|<key>}.
 */
public record Watermark(LocalDateTime updatedAt, String key) {

    public Watermark {
        if (updatedAt == null || key == null) {
            throw new IllegalArgumentException("a watermark needs an update time and a key");
        }
    }

    String format() {
        return updatedAt + "|" + key;
    }

    static Watermark parse(String text) {
        int bar = text.indexOf('|');
        if (bar < 0) {
            throw new IllegalArgumentException("not a watermark: " + text);
        }
        return new Watermark(LocalDateTime.parse(text.substring(0, bar)), text.substring(bar + 1));
    }

    @Override
    public String toString() {
        return "(" + updatedAt + ", " + key + ")";
    }
}
