package cn.bazhong.credit.gateway.mapping.source;

import cn.bazhong.credit.gateway.validation.Rule;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;

/** Checks of the first bytes of an input, before any parser sees it. */
final class InputChecks {

    /** Bytes looked at: a byte-order mark and the first few hundred characters. */
    private static final int HEAD = 512;

    private InputChecks() {
    }

    /**
     * Refuses an input whose bytes are plainly in another encoding than the feed declares: a UTF-16
     * or UTF-32 byte-order mark, or a zero byte among the first 512 bytes (UTF-16 or UTF-32 text
     * without a BOM, where every ASCII character carries a zero byte; neither UTF-8 nor GBK encodes
     * anything but NUL itself as a zero byte, and a NUL has no place in a feed either). Feeds
     * declared in UTF-16 or UTF-32 themselves are not checked.
     */
    static void refuseForeignEncoding(BufferedInputStream in, SourceSpec spec) {
        Charset declared = spec.charset();
        String name = declared.name().toUpperCase(java.util.Locale.ROOT);
        if (name.startsWith("UTF-16") || name.startsWith("UTF-32")) {
            return;
        }
        byte[] head = peek(in, HEAD);
        boolean utf16Bom = head.length >= 2 && ((head[0] & 0xFF) == 0xFE && (head[1] & 0xFF) == 0xFF
                || (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE);
        if (utf16Bom) {
            throw new InputUnusableException(Rule.ENCODING, InputPosition.byteOffset(0), "the input starts with a UTF-16 or UTF-32"
                    + " byte-order mark, but the feed is declared " + declared.name() + "; send it in " + declared.name());
        }
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                throw new InputUnusableException(Rule.ENCODING, InputPosition.byteOffset(i), "byte " + i + " of the input is a zero byte:"
                        + " the input looks like UTF-16 or UTF-32 text, but the feed is declared " + declared.name()
                        + "; send it in " + declared.name());
            }
        }
    }

    /**
     * Refuses an input that holds nothing but whitespace (and a UTF-8 byte-order mark) where the
     * format needs a document: a JSON array, an XML document, a CSV file with its header line.
     */
    static void refuseEmpty(BufferedInputStream in, SourceFormat format) {
        byte[] head = peek(in, 1 << 12);
        int i = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF ? 3 : 0;
        for (; i < head.length; i++) {
            byte b = head[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return;
            }
        }
        if (head.length == 1 << 12) {
            return; // more to come: not judged here
        }
        String needed = switch (format) {
            case CSV -> "a CSV file with its header line";
            case JSON_ARRAY -> "a JSON array of records";
            case XML -> "an XML document";
            case NDJSON -> "NDJSON";
            case ROWS -> "rows";
        };
        throw new InputUnusableException(Rule.REQUIRED, InputPosition.START, "the input is empty; " + needed + " is required");
    }

    private static byte[] peek(BufferedInputStream in, int count) {
        try {
            in.mark(count);
            byte[] head = in.readNBytes(count);
            in.reset();
            return head;
        } catch (IOException e) {
            throw new UncheckedIOException("the input could not be read: " + e.getMessage(), e);
        }
    }
}
