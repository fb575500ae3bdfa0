/**
 * Personal data at rest: {@link cn.bazhong.credit.gateway.privacy.PersonalFields} seals a natural person's
 * ID number and name in a credit record before the record is first written anywhere (Kafka, Hazelcast), and
 * opens them only where a duty needs the value: the upstream wire format, the channels of subscriptions
 * with {@code fullIdNumbers}, the keyed hash of a person, masking for display, and the version of a
 * record the gateway derives from another. Plain Java (schema + crypto): no Kafka, Camel or HTTP.
 */
package cn.bazhong.credit.gateway.privacy;
