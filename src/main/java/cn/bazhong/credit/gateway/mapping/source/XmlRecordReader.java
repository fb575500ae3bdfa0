package cn.bazhong.credit.gateway.mapping.source;

import cn.bazhong.credit.gateway.validation.Rule;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams the record elements of an XML document with StAX. DTDs and external entities are
 * refused, so neither XXE nor entity expansion can reach the gateway. Each child element of a
 * record becomes a field (by local name); attributes of the record element become {@code @name}.
 * The document is read to its end: an XML error (a record cut off by the end of the input, markup
 * after the root element, a root element never closed) is a syntax rejection naming line and column,
 * at the ordinal of the record it happened in or of the next one, and the rest of the input is read
 * and dropped.
 */
final class XmlRecordReader extends PrefetchingRecordReader {

    private static final XMLInputFactory FACTORY = hardenedFactory();

    private final Reader in;
    private final XMLStreamReader xml;
    private final String recordElement;
    private final String namespace;
    private long ordinal;
    /** Set when the rest of the input cannot be read (a broken document). */
    private boolean finished;
    private boolean rootChecked;

    /**
     * @param in the document decoded in the feed's declared charset (the encoding of the XML declaration
     *           is not consulted): bytes that do not decode become U+FFFD, which the mapping reports as
     *           an {@code encoding} error of that field, as for the other formats, instead of an XML
     *           error that would end the document
     */
    XmlRecordReader(SourceSpec spec, Reader in, GuardedStream guarded) {
        super(guarded);
        this.in = in;
        this.recordElement = spec.recordElement();
        this.namespace = spec.namespace();
        try {
            this.xml = FACTORY.createXMLStreamReader(in);
            // a document whose root element cannot even be read is unusable as a whole
            while (xml.hasNext() && xml.next() != XMLStreamConstants.START_ELEMENT) {
                // prolog: declaration, comments, whitespace
            }
            if (xml.getEventType() != XMLStreamConstants.START_ELEMENT) {
                throw new InputUnusableException(Rule.SYNTAX, position(xml.getLocation()), "the XML document has no root element");
            }
        } catch (XMLStreamException e) {
            guarded.rethrowIfBroken();
            throw new InputUnusableException(Rule.SYNTAX, position(e.getLocation()), "not valid XML: " + reason(e), e);
        }
    }

    static XMLInputFactory hardenedFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }

    @Override
    protected SourceRecord readNext() {
        if (finished) {
            return null;
        }
        long position = ordinal + 1;
        try {
            if (!rootChecked) {
                rootChecked = true;
                if (isRecordElement()) {
                    ordinal = position;
                    return readRecord(position);
                }
            }
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT && isRecordElement()) {
                    ordinal = position;
                    return readRecord(position);
                }
            }
            finished = true;
            return null;
        } catch (XMLStreamException e) {
            finished = true;
            stream.rethrowIfBroken();
            return lastUnreadable(position, "XML syntax error at " + position(e.getLocation()) + ": " + reason(e)
                    + "; the rest of the document cannot be read");
        }
    }

    /** Line and column of a StAX location; the offset is the parser's character offset. */
    static InputPosition position(Location at) {
        if (at == null) {
            return new InputPosition(-1, -1, -1);
        }
        return new InputPosition(at.getLineNumber(), at.getColumnNumber(), at.getCharacterOffset());
    }

    /** The parser's message without the "ParseError at [row,col]" prefix the JDK's parser adds. */
    static String reason(XMLStreamException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int i = m.indexOf("Message: ");
        return (i >= 0 ? m.substring(i + "Message: ".length()) : m).strip();
    }

    private boolean isRecordElement() {
        if (!recordElement.equals(xml.getLocalName())) {
            return false;
        }
        String ns = xml.getNamespaceURI();
        return namespace == null ? ns == null || ns.isEmpty() : namespace.equals(ns);
    }

    private SourceRecord readRecord(long position) throws XMLStreamException {
        Map<String, String> fields = new LinkedHashMap<>(); // input order, for fieldNames()
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            fields.put("@" + xml.getAttributeLocalName(i), xml.getAttributeValue(i));
        }
        int depth = 1;
        String field = null;
        StringBuilder text = new StringBuilder();
        while (depth > 0) {
            if (!xml.hasNext()) {
                throw new XMLStreamException("the input ends inside the record", xml.getLocation());
            }
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    depth++;
                    if (depth == 2) {
                        field = xml.getLocalName();
                        text.setLength(0);
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (depth >= 2) {
                        text.append(xml.getText());
                    }
                }
                case XMLStreamConstants.ENTITY_REFERENCE -> {
                    return skipRest(position, "undeclared entity reference &" + xml.getLocalName() + "; in record");
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (depth == 2 && field != null) {
                        fields.putIfAbsent(field, text.toString());
                        field = null;
                    }
                    depth--;
                }
                default -> {
                }
            }
        }
        return new MapSourceRecord(position, fields);
    }

    private SourceRecord skipRest(long position, String reason) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        return SourceRecord.unreadable(position, reason);
    }

    @Override
    public void close() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        } finally {
            in.close();
        }
    }
}
