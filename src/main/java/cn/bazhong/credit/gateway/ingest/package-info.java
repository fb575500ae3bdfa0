/**
 * Collection: turns one file, request body or message into durable credit records and a receipt.
 * A source is acknowledged only after every accepted record of it is written to Kafka; the
 * receipt says what became of each record (accepted, duplicate, rejected with field and rule).
 */
package cn.bazhong.credit.gateway.ingest;
