package cn.bazhong.credit.gateway.feeds;

import cn.bazhong.credit.gateway.ingest.FeedIngestor;
import cn.bazhong.credit.gateway.ingest.FeedSource;
import cn.bazhong.credit.gateway.ingest.Receipt;
import cn.bazhong.credit.gateway.mapping.source.InputUnusableException;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Takes one file from a department's SFTP, FTP or FTPS folder (called by the {@code sftp-feed},
 * {@code ftp-feed} and {@code ftps-feed} route templates; the exchange property {@value #CHANNEL} names
 * the protocol, sftp when it is not set).
 * When every record of the file is durable, the file goes to {@code .done/} with its receipt beside
 * it; a file that cannot be read at all goes to {@code .error/} with a reason file. When the records
 * could not be made durable, the exception leaves the file where it is, to be read again.
 */
public class SftpFeedHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SftpFeedHandler.class);

    /** Exchange property read by the route's move expression: where the file goes. */
    public static final String OUTCOME = "feedOutcome";
    public static final String DONE = ".done";
    public static final String ERROR = ".error";
    /** Exchange property set by the route: sftp, ftp or ftps. */
    public static final String CHANNEL = "feedChannel";

    private final FeedIngestor ingestor;

    public SftpFeedHandler(FeedIngestor ingestor) {
        this.ingestor = ingestor;
    }

    public void ingest(Exchange exchange) throws Exception {
        String mappingId = exchange.getProperty("mappingId", String.class);
        String fileName = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Long modified = exchange.getIn().getHeader(Exchange.FILE_LAST_MODIFIED, Long.class);
        String channel = exchange.getProperty(CHANNEL, "sftp", String.class);
        String receiptId = channel.toUpperCase(java.util.Locale.ROOT) + "-" + mappingId + "-" + fileName + "-" + (modified == null ? 0 : modified);
        try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
            Receipt receipt = ingestor.ingest(FeedSource.file(mappingId, channel, fileName, receiptId), in);
            exchange.setProperty(OUTCOME, DONE);
            exchange.getIn().setHeader("receiptFile", fileName + ".receipt.json");
            exchange.getIn().setBody(RecordJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(receipt));
        } catch (InputUnusableException e) {
            String why = "rule " + e.rule().code() + ", at " + e.position() + ": " + e.reason();
            LOG.warn("{} from {} cannot be read as {} ({})", fileName, mappingId, mappingId, why);
            exchange.setProperty(OUTCOME, ERROR);
            exchange.getIn().setHeader("receiptFile", fileName + ".reason.txt");
            exchange.getIn().setBody((fileName + " was not taken (" + why + ")\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
