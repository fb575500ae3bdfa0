package cn.bazhong.credit.gateway.catalog;

import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.Uscc;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import cn.bazhong.credit.gateway.yaml.YamlDocument;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads {@code config/catalog.yaml} and refuses it, naming file, line and key for every problem, when
 * a measure has no legal basis (or a basis whose article is neither given nor marked to be confirmed),
 * names a unit or list type the catalog does not know, or is triggered by a list that its listing unit
 * does not decide; when a unit is declared but decides no list and applies no measure; when a list type
 * triggers no measure. The gateway does not start with a broken catalog ({@link CatalogRefused}); the
 * {@code catalog check} command shows the same problems without starting it.
 */
public final class CatalogLoader {

    /** The city's 行政区划代码 (巴中市), the region of a unit that does not name one. */
    public static final String CITY_REGION = "511900";

    private static final Set<String> TOP = YamlDocument.keys("version", "description", "region", "units", "listTypes", "measures");
    private static final Set<String> UNIT = YamlDocument.keys("name", "uscc", "region", "note");
    private static final Set<String> LIST_TYPE = YamlDocument.keys("name", "category", "listedBy", "fields");
    private static final Set<String> MEASURE = YamlDocument.keys("type", "listedBy", "triggers", "content", "legalBasis",
            "implementingUnits", "matters", "evidence", "duration", "legalRepresentatives");
    private static final Set<String> BASIS = YamlDocument.keys("document", "article", "articleToConfirm");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_-]*");
    private static final Pattern REGION = Pattern.compile("[1-8][0-9]{5}");

    private final YamlDocument yaml;
    private final List<ConfigFileException> problems = new ArrayList<>();

    private CatalogLoader(String fileName) {
        this.yaml = new YamlDocument(fileName);
    }

    public static Catalog load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return load(file.toString(), reader);
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), 0, "", "cannot be read: " + e.getMessage());
        }
    }

    /** The catalog, or {@link CatalogRefused} listing every problem; a file that is not a catalog at all fails at once. */
    public static Catalog load(String fileName, Reader reader) {
        return new CatalogLoader(fileName).read(reader);
    }

    private Catalog read(Reader reader) {
        Node root = yaml.parse(reader);
        Map<String, Node> top = yaml.mapping(root, "", TOP);
        String version = yaml.requiredScalar(top, root, "version", "");
        String city = top.containsKey("region") ? region(top.get("region"), "region") : CITY_REGION;
        Map<String, CatalogUnit> units = units(required(top, root, "units", ""), city);
        Map<String, ListTypeDefinition> listTypes = listTypes(required(top, root, "listTypes", ""), units);
        Map<String, Measure> measures = measures(required(top, root, "measures", ""), units, listTypes);
        Catalog catalog = new Catalog(version, city, Map.copyOf(units), Map.copyOf(listTypes), java.util.Collections.unmodifiableMap(measures));
        unused(catalog, top);
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(ConfigFileException::line));
            throw new CatalogRefused(problems);
        }
        return catalog;
    }

    /** Units that decide no list and apply no measure; list types that trigger no measure. */
    private void unused(Catalog catalog, Map<String, Node> top) {
        Map<String, Node> unitNodes = yaml.mapping(top.get("units"), "units");
        Set<String> used = new LinkedHashSet<>();
        catalog.listTypes().values().forEach(l -> used.add(l.listedBy()));
        catalog.measures().values().forEach(m -> {
            used.add(m.listedBy());
            used.addAll(m.implementingUnits());
        });
        unitNodes.forEach((code, node) -> {
            if (catalog.units().containsKey(code) && !used.contains(code)) {
                problems.add(yaml.fail(node, "units." + code, "dangling unit: it decides no list and applies no measure;"
                        + " name it in a list type's listedBy or a measure's implementingUnits, or remove it"));
            }
        });
        Map<String, Node> listNodes = yaml.mapping(top.get("listTypes"), "listTypes");
        listNodes.forEach((code, node) -> {
            if (catalog.listTypes().containsKey(code) && catalog.triggeredBy(code).isEmpty()) {
                problems.add(yaml.fail(node, "listTypes." + code, "no measure reacts to list type " + code
                        + ": its entries would reach nobody; add a measure that it triggers, or remove it"));
            }
        });
    }

    private Node required(Map<String, Node> m, Node parent, String name, String key) {
        Node n = m.get(name);
        if (n == null) {
            throw yaml.fail(parent, key.isEmpty() ? name : key + "." + name, "is required");
        }
        return n;
    }

    private String region(Node node, String key) {
        String v = yaml.scalar(node, key);
        if (!REGION.matcher(v).matches()) {
            problems.add(yaml.fail(node, key, "'" + v + "' is not a 行政区划代码 (six digits, GB/T 2260)"));
        }
        return v;
    }

    private Map<String, CatalogUnit> units(Node node, String city) {
        Map<String, CatalogUnit> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : yaml.mapping(node, "units").entrySet()) {
            String key = "units." + e.getKey();
            code(e.getValue(), key, e.getKey());
            Map<String, Node> m = yaml.mapping(e.getValue(), key, UNIT);
            String uscc = null;
            if (m.containsKey("uscc")) {
                Checked<String> checked = Uscc.check(yaml.scalar(m.get("uscc"), key + ".uscc"));
                if (!checked.isOk()) {
                    problems.add(yaml.fail(m.get("uscc"), key + ".uscc", checked.message()));
                }
                uscc = checked.value();
            }
            String region = m.containsKey("region") ? region(m.get("region"), key + ".region") : city;
            String note = m.containsKey("note") ? yaml.scalar(m.get("note"), key + ".note") : null;
            out.put(e.getKey(), new CatalogUnit(e.getKey(), yaml.requiredScalar(m, e.getValue(), "name", key), uscc, region, note));
        }
        return out;
    }

    private Map<String, ListTypeDefinition> listTypes(Node node, Map<String, CatalogUnit> units) {
        Map<String, ListTypeDefinition> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : yaml.mapping(node, "listTypes").entrySet()) {
            String key = "listTypes." + e.getKey();
            code(e.getValue(), key, e.getKey());
            Map<String, Node> m = yaml.mapping(e.getValue(), key, LIST_TYPE);
            String category = yaml.requiredScalar(m, e.getValue(), "category", key);
            ListCategory c;
            try {
                c = ListCategory.valueOf(category);
            } catch (IllegalArgumentException ex) {
                throw yaml.fail(m.get("category"), key + ".category", "'" + category + "' is not RED, BLACK or ATTENTION");
            }
            String listedBy = unit(m, e.getValue(), "listedBy", key, units);
            List<String> fields = m.containsKey("fields") ? yaml.scalars(m.get("fields"), key + ".fields") : List.of();
            out.put(e.getKey(), new ListTypeDefinition(e.getKey(), yaml.requiredScalar(m, e.getValue(), "name", key), c, listedBy,
                    List.copyOf(fields)));
        }
        return out;
    }

    private Map<String, Measure> measures(Node node, Map<String, CatalogUnit> units, Map<String, ListTypeDefinition> listTypes) {
        Map<String, Measure> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : yaml.mapping(node, "measures").entrySet()) {
            String key = "measures." + e.getKey();
            code(e.getValue(), key, e.getKey());
            Map<String, Node> m = yaml.mapping(e.getValue(), key, MEASURE);
            String typeName = yaml.requiredScalar(m, e.getValue(), "type", key);
            MeasureType type;
            try {
                type = MeasureType.valueOf(typeName);
            } catch (IllegalArgumentException ex) {
                throw yaml.fail(m.get("type"), key + ".type", "'" + typeName + "' is not INCENTIVE or PUNISHMENT");
            }
            String listedBy = unit(m, e.getValue(), "listedBy", key, units);
            List<LegalBasis> bases = legalBases(m.get("legalBasis"), e.getValue(), key);
            List<String> triggers = yaml.scalars(required(m, e.getValue(), "triggers", key), key + ".triggers");
            for (String t : triggers) {
                ListTypeDefinition lt = listTypes.get(t);
                if (lt == null) {
                    problems.add(yaml.fail(m.get("triggers"), key + ".triggers", "unknown list type '" + t + "' (not under listTypes:)"));
                    continue;
                }
                if (!lt.listedBy().equals(listedBy)) {
                    problems.add(yaml.fail(m.get("triggers"), key + ".triggers", "list type " + t + " is decided by " + lt.listedBy()
                            + ", not by the measure's listedBy " + listedBy));
                }
                boolean incentive = lt.category() == ListCategory.RED;
                if (incentive != (type == MeasureType.INCENTIVE) && lt.category() != ListCategory.ATTENTION) {
                    problems.add(yaml.fail(m.get("type"), key + ".type", "a " + type + " measure cannot be triggered by the "
                            + lt.category() + " list " + t));
                }
            }
            List<String> implementing = yaml.scalars(required(m, e.getValue(), "implementingUnits", key), key + ".implementingUnits");
            for (String u : implementing) {
                if (!units.containsKey(u)) {
                    problems.add(yaml.fail(m.get("implementingUnits"), key + ".implementingUnits", "unknown unit '" + u + "' (not under units:)"));
                }
            }
            List<String> matters = m.containsKey("matters") ? yaml.scalars(m.get("matters"), key + ".matters") : List.of();
            String text = bases.stream().map(LegalBasis::text).collect(java.util.stream.Collectors.joining("；"));
            out.put(e.getKey(), new Measure(e.getKey(), type, listedBy, List.copyOf(triggers),
                    yaml.requiredScalar(m, e.getValue(), "content", key), text,
                    List.copyOf(implementing), List.copyOf(matters),
                    yaml.requiredScalar(m, e.getValue(), "evidence", key),
                    yaml.requiredScalar(m, e.getValue(), "duration", key),
                    legalRepresentatives(m, key, type), List.copyOf(bases)));
        }
        return out;
    }

    /**
     * {@code legalBasis}: a list of {@code {document, article, articleToConfirm}}, or one line of text
     * (then one basis whose article is not separately known). Missing or empty: a problem.
     */
    private List<LegalBasis> legalBases(Node node, Node measure, String measureKey) {
        String key = measureKey + ".legalBasis";
        if (node == null || node instanceof ScalarNode s && s.getValue().isBlank()) {
            problems.add(yaml.fail(node == null ? measure : node, key,
                    "every measure needs its legal basis (法律依据); a measure without one is never applied"));
            return List.of();
        }
        if (node instanceof ScalarNode s) {
            return List.of(new LegalBasis(s.getValue().strip(), null, false));
        }
        if (!(node instanceof SequenceNode seq)) {
            throw yaml.fail(node, key, "expected a list of {document, article, articleToConfirm} or one line of text");
        }
        if (seq.getValue().isEmpty()) {
            problems.add(yaml.fail(node, key, "every measure needs its legal basis (法律依据); the list is empty"));
        }
        List<LegalBasis> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String itemKey = key + "[" + i + "]";
            Map<String, Node> b = yaml.mapping(item, itemKey, BASIS);
            String document = b.containsKey("document") ? yaml.scalar(b.get("document"), itemKey + ".document").strip() : "";
            if (document.isEmpty()) {
                problems.add(yaml.fail(item, itemKey + ".document", "a legal basis names its document (the law, memorandum or plan)"));
            }
            boolean toConfirm = b.containsKey("articleToConfirm") && yaml.bool(b.get("articleToConfirm"), itemKey + ".articleToConfirm");
            Node a = b.get("article");
            String article = a == null || a instanceof ScalarNode s && (s.getTag().equals(Tag.NULL) || s.getValue().isBlank())
                    ? null : yaml.scalar(a, itemKey + ".article").strip();
            if (article == null && !toConfirm) {
                problems.add(yaml.fail(item, itemKey + ".article", "the basis in " + (document.isEmpty() ? "this document" : document)
                        + " names no article: give it, or write article: null and articleToConfirm: true until it is confirmed"));
            }
            out.add(new LegalBasis(document, article, toConfirm));
        }
        return out;
    }

    /** {@code legalRepresentatives: true}: the measure also applies to the legal representative of a listed organisation. */
    private boolean legalRepresentatives(Map<String, Node> m, String key, MeasureType type) {
        if (!m.containsKey("legalRepresentatives")) {
            return false;
        }
        String v = yaml.scalar(m.get("legalRepresentatives"), key + ".legalRepresentatives");
        if (!v.equals("true") && !v.equals("false")) {
            problems.add(yaml.fail(m.get("legalRepresentatives"), key + ".legalRepresentatives", "'" + v + "' is not true or false"));
            return false;
        }
        if (v.equals("true") && type != MeasureType.PUNISHMENT) {
            problems.add(yaml.fail(m.get("legalRepresentatives"), key + ".legalRepresentatives",
                    "only a punishment measure reaches the legal representative of a listed organisation"));
        }
        return v.equals("true");
    }

    private String unit(Map<String, Node> m, Node parent, String name, String key, Map<String, CatalogUnit> units) {
        String code = yaml.requiredScalar(m, parent, name, key);
        if (!units.containsKey(code)) {
            problems.add(yaml.fail(m.get(name), key + "." + name, "unknown unit '" + code + "' (not under units:)"));
        }
        return code;
    }

    private void code(Node node, String key, String code) {
        if (!CODE.matcher(code).matches()) {
            problems.add(yaml.fail(node, key, "'" + code + "' must be an upper-case code (letters, digits, _ and -)"));
        }
    }
}
