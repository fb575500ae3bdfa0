package cn.bazhong.credit.gateway.mapping.source;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * RFC 4180 CSV through Apache Commons CSV: quoted fields may hold delimiters, quotes and line
 * breaks. A record's position is the line it starts on, the header being line 1.
 */
final class CsvRecordReader extends PrefetchingRecordReader {

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    /** Filled in the constructor, read-only afterwards: shared by every record this reader returns. */
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final int columnCount;
    /** Set when the rest of the input cannot be read (a broken document). */
    private boolean finished;

    CsvRecordReader(SourceSpec spec, Reader in) {
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(spec.delimiter())
                .setIgnoreEmptyLines(false)
                .setTrim(false)
                .get();
        try {
            this.parser = CSVParser.builder().setReader(in).setFormat(format).get();
        } catch (IOException e) {
            throw new InputUnusableException("cannot read CSV: " + e.getMessage(), e);
        }
        this.records = parser.iterator();
        List<String> names = spec.header() ? readHeader() : spec.columns();
        for (int i = 0; i < names.size(); i++) {
            columnIndex.putIfAbsent(FieldNames.normalise(names.get(i)), i);
        }
        this.columnCount = names.size();
    }

    private List<String> readHeader() {
        try {
            return records.next().toList();
        } catch (NoSuchElementException e) {
            throw new InputUnusableException("the CSV input is empty: it has no header line");
        } catch (UncheckedIOException e) {
            throw new InputUnusableException("the CSV header line cannot be read: " + e.getCause().getMessage(), e);
        }
    }

    @Override
    protected SourceRecord readNext() {
        if (finished) {
            return null;
        }
        while (true) {
            long startLine = parser.getCurrentLineNumber() + 1;
            CSVRecord record;
            try {
                record = records.next();
            } catch (NoSuchElementException e) {
                finished = true;
                return null;
            } catch (UncheckedIOException | IllegalStateException e) {
                // The lexer cannot resynchronise after a broken quote: nothing after this point is trustworthy.
                finished = true;
                String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                return SourceRecord.unreadable(startLine, "CSV syntax error, the rest of the file cannot be read: " + reason);
            }
            if (record.size() == 1 && record.get(0).isEmpty()) {
                continue; // blank line
            }
            if (record.size() != columnCount) {
                return SourceRecord.unreadable(startLine,
                        "record has " + record.size() + " fields but the header has " + columnCount);
            }
            return new CsvSourceRecord(startLine, record, columnIndex);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /**
     * Safe to hand to another thread (the mapping workers of {@code MappedRecords}): a {@link CSVRecord}
     * never changes once parsed, only {@link CSVRecord#get(int)} is used (not the parser's header
     * map), and {@code columnIndex} is filled in the reader's constructor and only read after that.
     */
    private record CsvSourceRecord(long position, CSVRecord record, Map<String, Integer> columnIndex) implements SourceRecord {
        @Override
        public String get(String field) {
            Integer i = columnIndex.get(field);
            return i == null ? null : record.get(i);
        }
    }
}
