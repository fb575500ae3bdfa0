package cn.bazhong.credit.gateway.mapping.source;

import cn.bazhong.credit.gateway.validation.Rule;
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
 * breaks. A record's position is the line it starts on, the header being line 1. Every line is read:
 * a row with the wrong number of fields is a syntax rejection and the next row is read; a quote the
 * lexer cannot get past (one never closed before the end of the file, a character after a closing
 * quote) is the last, syntax-rejected record, and the rest of the file is read and dropped.
 */
final class CsvRecordReader extends PrefetchingRecordReader {

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    /** Filled in the constructor, read-only afterwards: shared by every record this reader returns. */
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final int columnCount;
    /** The column names in input order, normalised. */
    private final List<String> columnNames;
    /** Set when the rest of the input cannot be read (a broken document). */
    private boolean finished;

    CsvRecordReader(SourceSpec spec, Reader in, GuardedStream stream) {
        super(stream);
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(spec.delimiter())
                .setIgnoreEmptyLines(false)
                .setTrim(false)
                .get();
        try {
            this.parser = CSVParser.builder().setReader(in).setFormat(format).get();
        } catch (IOException e) {
            stream.rethrowIfBroken();
            throw new InputUnusableException(Rule.SYNTAX, InputPosition.START, "cannot read CSV: " + e.getMessage(), e);
        }
        this.records = parser.iterator();
        List<String> names = spec.header() ? readHeader() : spec.columns();
        for (int i = 0; i < names.size(); i++) {
            columnIndex.putIfAbsent(FieldNames.normalise(names.get(i)), i);
        }
        this.columnCount = names.size();
        this.columnNames = names.stream().map(FieldNames::normalise).toList();
    }

    private List<String> readHeader() {
        try {
            return records.next().toList();
        } catch (NoSuchElementException e) {
            throw new InputUnusableException(Rule.REQUIRED, InputPosition.START, "the CSV input is empty: it has no header line");
        } catch (UncheckedIOException | IllegalStateException e) {
            stream.rethrowIfBroken();
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new InputUnusableException(Rule.SYNTAX, InputPosition.line(1), "the CSV header line cannot be read: " + reason, e);
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
                stream.rethrowIfBroken();
                String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                return lastUnreadable(startLine, "CSV syntax error in the record starting on line " + startLine
                        + ", the rest of the file cannot be read: " + reason);
            }
            if (record.size() == 1 && record.get(0).isEmpty()) {
                continue; // blank line
            }
            if (record.size() != columnCount) {
                return SourceRecord.unreadable(startLine, "line " + startLine + ": the record has " + record.size()
                        + " fields but the header has " + columnCount);
            }
            return new CsvSourceRecord(startLine, record, columnIndex, columnNames);
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
    private record CsvSourceRecord(long position, CSVRecord record, Map<String, Integer> columnIndex, List<String> columnNames)
            implements SourceRecord {
        @Override
        public String get(String field) {
            Integer i = columnIndex.get(field);
            return i == null ? null : record.get(i);
        }

        @Override
        public java.util.Collection<String> fieldNames() {
            return columnNames;
        }
    }
}
