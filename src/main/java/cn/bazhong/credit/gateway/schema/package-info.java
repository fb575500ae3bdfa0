/**
 * The shared credit schema: the canonical form every departmental feed is mapped into, and from
 * which every upstream and department push is rendered.
 *
 * <p>Plain Java: nothing here knows about Camel, Kafka or HTTP. {@link cn.bazhong.credit.gateway.schema.CanonicalField}
 * is the single list of canonical fields; the mapping engine, the validators, the JSON Schemas under
 * {@code docs/schema/} and the national-code rendering are all driven by it.
 */
package cn.bazhong.credit.gateway.schema;
