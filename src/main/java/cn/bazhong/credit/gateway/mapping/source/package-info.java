/**
 * Streaming readers that turn a departmental file or request body into {@link
 * cn.bazhong.credit.gateway.mapping.source.SourceRecord}s, one at a time, so that memory does not
 * grow with the input. A record that cannot be read becomes a record with a syntax error naming its
 * position; the reader goes on with the next one where the format allows it, and always reads the
 * input to its end (see {@link cn.bazhong.credit.gateway.mapping.source.RecordReader}).
 */
package cn.bazhong.credit.gateway.mapping.source;
