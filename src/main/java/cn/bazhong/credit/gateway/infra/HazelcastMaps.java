package cn.bazhong.credit.gateway.infra;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;

import java.util.List;

/**
 * The Hazelcast maps of the gateway. None of them is the record of anything: each is a view that
 * can be rebuilt from Kafka, so losing the whole cluster loses no data.
 */
public final class HazelcastMaps {

    /** record id → versions already forwarded upstream (rebuilt from the dedup index topic). */
    public static final String DEDUP = "dedup-versions";
    /**
     * dedup index topic partition → offset up to which {@link #DEDUP} is known to be complete; and
     * {@code upstream-copied} once the versions of the upstream topic were copied into the index topic.
     */
    public static final String DEDUP_WATERMARKS = "dedup-watermarks";
    /** receipt id → receipt (rebuilt from the receipts topic). */
    public static final String RECEIPTS = "receipts";
    /**
     * department/Idempotency-Key → the lease of the push under way, or the completed key (body SHA-256,
     * receipt id), each entry with its own time to live (rebuilt from the idempotency keys topic).
     */
    public static final String IDEMPOTENCY_KEYS = "idempotency-keys";
    /** record id → its trace: source, dedup outcome, upstream batch and result. */
    public static final String TRACES = "record-traces";

    /** snapshot exit hold id → the hold (rebuilt from the snapshot holds topic). */
    public static final String SNAPSHOT_EXIT_HOLDS = "snapshot-exit-holds";

    /** database feed → its watermark, the last row taken (rebuilt from the feed watermarks topic). */
    public static final String FEED_WATERMARKS = "feed-watermarks";

    /** list entry record id → its latest message's content and source time (rebuilt from the list entry sequence topic). */
    public static final String LIST_ENTRY_SEQUENCE = "list-entry-sequence";

    /** Locks only (no entries): a Kafka feed's dead letter being replayed, by its replay's receipt id. */
    public static final String FEED_DEAD_LETTER_REPLAYS = "feed-dead-letter-replays";

    /** batch id → when an operator replayed its dead letter. */
    public static final String DEAD_LETTERS_REPLAYED = "dead-letters-replayed";

    /**
     * subject key → its penalties and licences of the last years (rebuilt from the upstream topic); an
     * entry not written for {@link #SUBJECT_RECORDS_TTL_DAYS} days holds only records older than any
     * window the check answers, and goes.
     */
    public static final String SUBJECT_RECORDS = "subject-records";
    public static final int SUBJECT_RECORDS_TTL_DAYS = 5 * 366;

    /**
     * The list view's marks: "filled" (being filled, or whole) and "indexes" (the names of its indexes once they were
     * added, so that a node joining does not add them again); its key "filled" is also the lock of the fill.
     */
    public static final String LIST_VIEW_MARKS = "list-view-marks";

    private static final String WRITE_PROTECTION = "minority-refuses-writes";

    private HazelcastMaps() {
    }

    /**
     * The receipt search's attributes and indexes ({@link cn.bazhong.credit.gateway.ingest.ReceiptAttributes}):
     * a period, a department's or a feed's receipts of a period, each a range of a sorted index.
     */
    public static MapConfig indexReceipts(MapConfig m) {
        // the extractors by name: infra sits below ingest and lists (WallsTest), Hazelcast loads them
        String at = "cn.bazhong.credit.gateway.ingest.ReceiptAttributes";
        m.addAttributeConfig(new com.hazelcast.config.AttributeConfig(cn.bazhong.credit.gateway.ingest.ReceiptAttributes.RECEIVED_AT, at + "$ReceivedAt"))
                .addAttributeConfig(new com.hazelcast.config.AttributeConfig(cn.bazhong.credit.gateway.ingest.ReceiptAttributes.DEPARTMENT_AT, at + "$DepartmentAt"))
                .addAttributeConfig(new com.hazelcast.config.AttributeConfig(cn.bazhong.credit.gateway.ingest.ReceiptAttributes.FEED_AT, at + "$FeedAt"))
                .addAttributeConfig(new com.hazelcast.config.AttributeConfig(cn.bazhong.credit.gateway.ingest.ReceiptAttributes.DEPARTMENT, at + "$Department"))
                .addAttributeConfig(new com.hazelcast.config.AttributeConfig(cn.bazhong.credit.gateway.ingest.ReceiptAttributes.TROUBLED, at + "$Troubled"));
        for (String sorted : new String[] {cn.bazhong.credit.gateway.ingest.ReceiptAttributes.RECEIVED_AT,
                cn.bazhong.credit.gateway.ingest.ReceiptAttributes.DEPARTMENT_AT, cn.bazhong.credit.gateway.ingest.ReceiptAttributes.FEED_AT}) {
            m.addIndexConfig(new com.hazelcast.config.IndexConfig(com.hazelcast.config.IndexType.SORTED, sorted));
        }
        return m;
    }

    /**
     * The list view's attributes: the expiry sweep's {@code nextExpiry}, and a list type's subjects in key order.
     * Its indexes over them ({@link #listEntryIndexes}) are not part of the map's configuration: the view is filled
     * first and indexed after ({@code lists.ListView#ensureIndexes}), so that a node with a million subjects serves
     * the check API before its indexes are built; queries made meanwhile scan the entries, with the same answers.
     */
    public static MapConfig configureListEntries(MapConfig m) {
        return m
                // each subject kept once, serialized: by default a map with indexes also keeps the object the
                // index read from each value (Hazelcast's INDEX_ONLY), which doubled the view's heap (3,130 bytes a
                // subject against 1,492, docs/benchmarks.md). Nothing gains from that copy: the check API reads
                // through the near cache, and the pages' range queries answer keys from the indexes alone
                .setCacheDeserializedValues(com.hazelcast.config.CacheDeserializedValues.NEVER)
                .addAttributeConfig(new com.hazelcast.config.AttributeConfig(cn.bazhong.credit.gateway.lists.NextExpiry.ATTRIBUTE,
                        cn.bazhong.credit.gateway.lists.NextExpiry.class.getName()))
                .addAttributeConfig(new com.hazelcast.config.AttributeConfig(cn.bazhong.credit.gateway.lists.ListTypes.ATTRIBUTE,
                        "cn.bazhong.credit.gateway.lists.ListTypes"));
    }

    /**
     * The list view's sorted indexes: the expiry sweep finds the subjects whose validity has ended through
     * {@code nextExpiry}; browsing a list type (the console) reads its subjects in key order as ranges of
     * {@code listTypeKeys} (list-type token, then subject key), a window at a time.
     */
    public static List<com.hazelcast.config.IndexConfig> listEntryIndexes() {
        return List.of(
                new com.hazelcast.config.IndexConfig(com.hazelcast.config.IndexType.SORTED, cn.bazhong.credit.gateway.lists.NextExpiry.ATTRIBUTE)
                        .setName("list-entries-next-expiry"),
                new com.hazelcast.config.IndexConfig(com.hazelcast.config.IndexType.SORTED, cn.bazhong.credit.gateway.lists.ListTypes.ATTRIBUTE)
                        .setName("list-entries-list-types"));
    }

    static void configure(Config c, HazelcastSettings settings) {
        String protection = null;
        if (settings.minimumClusterSize() > 1) {
            protection = WRITE_PROTECTION;
            c.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(WRITE_PROTECTION, true, settings.minimumClusterSize())
                    .setProtectOn(com.hazelcast.splitbrainprotection.SplitBrainProtectionOn.WRITE));
        }
        for (String name : new String[] {DEDUP, DEDUP_WATERMARKS, RECEIPTS, IDEMPOTENCY_KEYS, TRACES, DEAD_LETTERS_REPLAYED, FEED_DEAD_LETTER_REPLAYS, SNAPSHOT_EXIT_HOLDS, LIST_ENTRY_SEQUENCE, FEED_WATERMARKS,
                "sftp-files-taken", "fanout-endpoints", "fanout-dead-letters-replayed", "fanout-deliveries", "measure-initiations", "list-objections",
                SUBJECT_RECORDS, "subject-records-watermarks", "check-counters", "commitments", "list-type-totals", "receipt-counts",
                "publication-timeliness", "publication-counters", "publication-acceptances", "publication-acceptance-counters",
                "publication-ends", LIST_VIEW_MARKS}) {
            MapConfig m = new MapConfig(name).setBackupCount(1).setSplitBrainProtectionName(protection);
            c.addMapConfig(m);
        }
        // the check API reads list entries from a near cache: no network hop on its hot path. The entries stay
        // serialized on their member (lists.SubjectEntries' own compact form): kept as objects, a million subjects
        // are some 25 million small objects for the collector to mark (docs/benchmarks.md, lists)
        c.addMapConfig(configureListEntries(new MapConfig("list-entries").setBackupCount(1).setSplitBrainProtectionName(protection))
                .setNearCacheConfig(new com.hazelcast.config.NearCacheConfig("list-entries")
                        .setInvalidateOnChange(true)
                        // entries this member owns too: otherwise every local read deserializes the entry
                        .setCacheLocalEntries(true)
                        .setInMemoryFormat(com.hazelcast.config.InMemoryFormat.OBJECT)
                        .setEvictionConfig(new com.hazelcast.config.EvictionConfig()
                                .setEvictionPolicy(com.hazelcast.config.EvictionPolicy.LRU)
                                .setMaxSizePolicy(com.hazelcast.config.MaxSizePolicy.ENTRY_COUNT)
                                .setSize(settings.listNearCacheSize()))));
        indexReceipts(c.getMapConfig(RECEIPTS));
        c.getMapConfig(SUBJECT_RECORDS).setTimeToLiveSeconds(SUBJECT_RECORDS_TTL_DAYS * 86_400);
        // traces are an operator's convenience, not a record: kept for a while, and never more than a
        // bounded number per member, so that their memory does not grow with the volume of records
        c.getMapConfig(TRACES).setTimeToLiveSeconds((int) Math.min(Integer.MAX_VALUE, settings.traceRetention().toSeconds()))
                .setEvictionConfig(new com.hazelcast.config.EvictionConfig()
                        .setEvictionPolicy(com.hazelcast.config.EvictionPolicy.LRU)
                        .setMaxSizePolicy(com.hazelcast.config.MaxSizePolicy.PER_NODE)
                        .setSize(settings.tracesPerNode()));
    }
}
