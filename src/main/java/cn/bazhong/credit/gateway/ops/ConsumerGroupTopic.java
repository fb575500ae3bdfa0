package cn.bazhong.credit.gateway.ops;

/** A consumer group reading a topic: the unit the lag is reported for. */
public record ConsumerGroupTopic(String group, String topic) {
}
