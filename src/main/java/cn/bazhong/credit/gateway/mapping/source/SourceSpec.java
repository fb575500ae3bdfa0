package cn.bazhong.credit.gateway.mapping.source;

import java.nio.charset.Charset;
import java.util.List;

/**
 * How to read one feed's records.
 *
 * @param header        CSV: the first line names the columns
 * @param columns       CSV without a header line: the column names, in order
 * @param recordElement XML: local name of the element that holds one record
 * @param namespace     XML: namespace URI of the record element, or null for none
 * @param flatten       JSON: nested objects become fields with dotted names ({@code entry.subject.uscc});
 *                      without it a nested object is a syntax error
 */
public record SourceSpec(
        SourceFormat format,
        Charset charset,
        char delimiter,
        boolean header,
        List<String> columns,
        String recordElement,
        String namespace,
        boolean flatten) {
}
