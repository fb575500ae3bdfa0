package cn.bazhong.credit.gateway.publication;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.catalog.ListTypeDefinition;
import cn.bazhong.credit.gateway.fanout.OutboundEvent;
import cn.bazhong.credit.gateway.lists.EntryState;
import cn.bazhong.credit.gateway.lists.ListChange;
import cn.bazhong.credit.gateway.lists.ListChangeEvent;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import cn.bazhong.credit.gateway.schema.AdminLicense;
import cn.bazhong.credit.gateway.schema.AdminPenalty;
import cn.bazhong.credit.gateway.schema.CreditRecord;
import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.schema.Operation;
import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.schema.Subject;
import cn.bazhong.credit.gateway.schema.Unit;
import cn.bazhong.credit.gateway.validation.IdNumbers;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what the gateway accepted into the messages the city credit website takes (docs/publication.md):
 * a 双公示 penalty or licence, or a red or black list entry, as {@code item.published}; a record withdrawn,
 * a list exit (repair, objection upheld, expiry, withdrawal) or the end of a penalty's 公示期 as
 * {@code item.withdrawn}. Personal data is reduced on the way: a natural person's ID number is masked
 * (how many characters stay is a local rule), a legal representative is named without ID number, an ID
 * number written into free text is masked. Ids derive from the record, so a retry, a replay or a second
 * node produce the same message again.
 */
public final class PublicationItems {

    public static final String PUBLISHED = "item.published";
    public static final String WITHDRAWN = "item.withdrawn";
    /** The channel's name where a department's name would stand (delivery log, dead letters). */
    public static final String WEBSITE = "WEBSITE";

    private final java.util.function.Supplier<Catalog> catalogs;
    private final PersonalFields personal;
    private final PublicationSettings.LocalRules rules;

    public PublicationItems(Catalog catalog, PersonalFields personal, PublicationSettings.LocalRules rules) {
        this(() -> catalog, personal, rules);
    }

    /** @param catalogs the catalog in use (the live reload replaces it); each item is built with one version */
    public PublicationItems(java.util.function.Supplier<Catalog> catalogs, PersonalFields personal, PublicationSettings.LocalRules rules) {
        this.catalogs = catalogs;
        this.personal = personal;
        this.rules = rules;
    }

    /** A record's message: its publication, or its withdrawal; empty for a record that is not published. */
    public Optional<OutboundEvent> ofRecord(CreditRecord r, LocalDate today) {
        if (r.penalty() == null && r.licence() == null) {
            return Optional.empty();
        }
        String itemId = itemId(r.recordId());
        Instant at = r.provenance() == null || r.provenance().receivedAt() == null ? Instant.EPOCH : r.provenance().receivedAt();
        if (r.operation() == Operation.WITHDRAW) {
            return Optional.of(withdrawal(itemId, r.kind().name(), r.version(), at, "RECORD_WITHDRAWN", "the deciding unit withdrew the record"));
        }
        LocalDate end = publicationEnd(r);
        if (end != null && end.isBefore(today)) {
            // its 公示期 has ended already (a late delivery, a replay): it is not shown
            return Optional.of(withdrawal(itemId, r.kind().name(), r.version(), at, "PUBLICATION_PERIOD_ENDED", "公示期 ended on " + end));
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", itemId);
        item.put("kind", r.kind().name());
        item.put("version", r.version());
        item.put("subject", subject(r.subject()));
        if (r.penalty() != null) {
            item.put("penalty", penalty(r.penalty()));
            item.put("publicationEnd", end == null ? null : end.toString());
        } else {
            item.put("licence", licence(r.licence()));
        }
        item.put("department", r.provenance() == null ? null : r.provenance().department());
        return Optional.of(message(messageId(itemId, r.version(), PUBLISHED), PUBLISHED, at, item, Map.of()));
    }

    /** A red or black list change's message; empty for an attention list, a legal representative's linked entry, or no change. */
    public Optional<OutboundEvent> ofListChange(ListChangeEvent change) {
        EntryState e = change.entry();
        if (e == null || change.type() == null || e.linkedToOrganisation() != null
                || (e.category() != ListCategory.RED && e.category() != ListCategory.BLACK)) {
            return Optional.empty();
        }
        String itemId = itemId(e.recordId());
        String kind = "LIST_ENTRY";
        if (ListChange.EXITED.wireName().equals(change.type())) {
            String why = e.exitReason() == null ? "" : e.exitReason();
            return Optional.of(withdrawal(itemId, kind, e.version(), change.occurredAt(), exitReason(why), IdNumbers.maskAll(why)));
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", itemId);
        item.put("kind", kind);
        item.put("version", e.version());
        item.put("subject", subject(e.subject()));
        Map<String, Object> entry = new LinkedHashMap<>();
        Catalog catalog = catalogs.get();
        ListTypeDefinition type = catalog.listTypes().get(e.listType());
        entry.put("listType", e.listType());
        entry.put("listName", type == null ? null : type.name());
        entry.put("category", e.category().name());
        entry.put("status", e.status() == null ? null : e.status().name());
        entry.put("decidedBy", e.decidedBy());
        entry.put("decidedByUscc", e.decidedByUscc());
        entry.put("documentNo", e.documentNo());
        entry.put("decidedOn", date(e.decidedOn()));
        entry.put("validFrom", date(e.validFrom()));
        entry.put("validTo", date(e.validTo()));
        entry.put("basis", IdNumbers.maskAll(e.basis()));
        entry.put("reason", IdNumbers.maskAll(e.reason()));
        item.put("listEntry", entry);
        item.put("region", catalog.regionOfDecision(e.decidedByUscc(), e.listType()));
        return Optional.of(message(messageId(itemId, change.id(), PUBLISHED), PUBLISHED, change.occurredAt(), item, Map.of()));
    }

    /** The withdrawal of a penalty at the end of its 公示期 (the sweep's message). */
    public OutboundEvent periodEnded(String itemId, String kind, String version, LocalDate end, Instant at) {
        return withdrawal(itemId, kind, version, at, "PUBLICATION_PERIOD_ENDED", "公示期 ended on " + end);
    }

    /**
     * The last day a penalty is published: its 公示截止期, else its 处罚有效期, else (local rule) the
     * configured period from its decision; null for a licence (published until withdrawn).
     */
    public LocalDate publicationEnd(CreditRecord r) {
        AdminPenalty p = r.penalty();
        if (p == null) {
            return null;
        }
        if (p.publicityUntil() != null) {
            return p.publicityUntil();
        }
        if (p.validUntil() != null) {
            return p.validUntil();
        }
        return p.decisionDate() == null ? null : p.decisionDate().plus(rules.penaltyPublicationPeriod()).minusDays(1);
    }

    /** {@code CREDIT_REPAIR}, {@code OBJECTION_UPHELD}, {@code EXPIRED}, {@code WITHDRAWN}, … from a list exit's reason; {@code LIST_EXIT} otherwise. */
    static String exitReason(String exitReason) {
        String first = exitReason.strip().split("[\\s:：]", 2)[0];
        return first.matches("[A-Z][A-Z_]{2,40}") ? first : "LIST_EXIT";
    }

    private OutboundEvent withdrawal(String itemId, String kind, String version, Instant at, String reason, String detail) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", itemId);
        item.put("kind", kind);
        item.put("version", version);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reason", reason);
        extra.put("detail", detail);
        return message(messageId(itemId, version, WITHDRAWN), WITHDRAWN, at, item, extra);
    }

    private static OutboundEvent message(String id, String type, Instant at, Map<String, Object> item, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("type", type);
        body.put("occurredAt", at.toString());
        body.put("item", item);
        body.putAll(extra);
        try {
            return new OutboundEvent(id, type, WEBSITE, (String) item.get("id"), at, RecordJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("message " + id + " could not be written as JSON", e);
        }
    }

    /** The subject as the public may see it: a person's ID number masked, the legal representative by name only. */
    private Map<String, Object> subject(Subject sealed) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (sealed == null) {
            return out;
        }
        Subject s = personal.open(sealed);
        out.put("category", s.category());
        out.put("name", s.name());
        if (s.isPerson()) {
            out.put("idType", s.idType());
            out.put("idNumber", mask(s.idNumber()));
        } else {
            out.put("uscc", s.uscc());
            out.put("legalRepresentative", s.legalRep() == null ? null : s.legalRep().name());
        }
        return out;
    }

    /** The local rule: the first and last few characters shown, the rest {@code *}; never the whole number. */
    String mask(String idNumber) {
        if (idNumber == null || idNumber.isBlank()) {
            return null;
        }
        int n = idNumber.length();
        int first = Math.min(rules.personIdShownFirst(), n / 2);
        int last = Math.min(rules.personIdShownLast(), Math.max(0, n - first - 1));
        return idNumber.substring(0, first) + "*".repeat(n - first - last) + idNumber.substring(n - last);
    }

    private static Map<String, Object> penalty(AdminPenalty p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decisionNo", p.decisionNo());
        out.put("violationType", IdNumbers.maskAll(p.violationType()));
        out.put("facts", IdNumbers.maskAll(p.facts()));
        out.put("basis", IdNumbers.maskAll(p.basis()));
        out.put("kinds", p.kinds());
        out.put("content", IdNumbers.maskAll(p.content()));
        out.put("fineWan", p.fineWan());
        out.put("confiscatedWan", p.confiscatedWan());
        out.put("suspendedLicence", IdNumbers.maskAll(p.suspendedLicence()));
        out.put("decisionDate", date(p.decisionDate()));
        out.put("validUntil", date(p.validUntil()));
        out.put("publicityUntil", date(p.publicityUntil()));
        out.put("authority", unit(p.authority()));
        out.put("dataSource", unit(p.dataSource()));
        return out;
    }

    private static Map<String, Object> licence(AdminLicense l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("documentName", l.documentName());
        out.put("decisionNo", l.decisionNo());
        out.put("category", l.category());
        out.put("certificateName", l.certificateName());
        out.put("licenceNo", l.licenceNo());
        out.put("content", IdNumbers.maskAll(l.content()));
        out.put("decisionDate", date(l.decisionDate()));
        out.put("validFrom", date(l.validFrom()));
        out.put("validTo", l.longTerm() ? "长期" : date(l.validTo()));
        out.put("status", l.status());
        out.put("authority", unit(l.authority()));
        out.put("dataSource", unit(l.dataSource()));
        return out;
    }

    private static Map<String, Object> unit(Unit u) {
        if (u == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", u.name());
        out.put("uscc", u.uscc());
        return out;
    }

    private static String date(LocalDate d) {
        return d == null ? null : d.toString();
    }

    /** {@code itm_} + 32 hex characters of SHA-256 over the record id: stable, and no ID number in it. */
    public static String itemId(String recordId) {
        return "itm_" + hash("item\n" + recordId);
    }

    /** {@code pub_} + 32 hex characters: the same item, version and type give the same message id. */
    static String messageId(String itemId, String version, String type) {
        return "pub_" + hash(itemId + "\n" + version + "\n" + type);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
