/**
 * The declarative mapping engine: a mapping file under {@code mappings/} describes one department
 * feed (its format, field mappings, value tables, constants, derived values and business key);
 * {@link cn.bazhong.credit.gateway.mapping.MappingLoader} reads and checks it, and
 * {@link cn.bazhong.credit.gateway.mapping.RecordMapper} turns each source record into a
 * {@link cn.bazhong.credit.gateway.schema.CreditRecord} or a rejection naming the record, the field
 * and the rule. Plain Java: no Camel, Kafka or HTTP here.
 */
package cn.bazhong.credit.gateway.mapping;
