package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.mapping.MappingDefinition;
import cn.bazhong.credit.gateway.mapping.source.SourceFormat;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;

/**
 * What a pushed feed body must be before the feed's reader sees it: of a media type that fits the feed's
 * format (or none said), in the feed's character encoding, and not empty. Each mistake is a 4xx that says
 * what the feed takes: such a request can never succeed, so it must not be told to retry.
 */
final class FeedBodies {

    private FeedBodies() {
    }

    static List<String> mediaTypes(SourceFormat format) {
        return switch (format) {
            case CSV -> List.of("text/csv", "text/plain", "application/csv");
            case JSON_ARRAY -> List.of("application/json", "text/json");
            case NDJSON -> List.of("application/x-ndjson", "application/jsonl", "application/json", "text/plain");
            case XML -> List.of("application/xml", "text/xml");
            case ROWS -> List.of(); // a database feed takes no request body
        };
    }

    static void checkContentType(String contentType, MappingDefinition mapping) {
        if (contentType == null || contentType.isBlank()) {
            return; // the feed's own format is assumed
        }
        SourceFormat format = mapping.source().format();
        List<String> accepted = mediaTypes(format);
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            throw new HttpProblem(415, "unsupported-media-type", "Content-Type is not a media type; feed " + mapping.id()
                    + " takes " + String.join(", ", accepted)).with("field", "Content-Type");
        }
        String base = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        if (!accepted.contains(base)) {
            throw new HttpProblem(415, "unsupported-media-type", "feed " + mapping.id() + " is " + format.id() + " and takes "
                    + String.join(", ", accepted) + ", not " + base).with("field", "Content-Type");
        }
        String charset = type.getParameter("charset");
        if (charset != null) {
            Charset declared;
            try {
                declared = Charset.forName(charset.replace("\"", ""));
            } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                throw new HttpProblem(415, "unsupported-charset", "charset '" + FeedsController.shorten(charset) + "' is unknown; feed "
                        + mapping.id() + " is read as " + mapping.source().charset().name()).with("field", "Content-Type");
            }
            if (!declared.equals(mapping.source().charset())) {
                throw new HttpProblem(415, "unsupported-charset", "feed " + mapping.id() + " is read as " + mapping.source().charset().name()
                        + ", not " + declared.name() + ": convert the body or leave the charset out").with("field", "Content-Type");
            }
        }
    }

    /** The body, or 400 when it has not a single byte. */
    static InputStream nonEmpty(InputStream body) throws IOException {
        PushbackInputStream in = new PushbackInputStream(body, 1);
        int first = in.read();
        if (first < 0) {
            throw new HttpProblem(400, "empty-body", "the request has no body: send the feed's records");
        }
        in.unread(first);
        return in;
    }
}
