package cn.bazhong.credit.gateway.catalog;

import cn.bazhong.credit.gateway.schema.ListCategory;
import cn.bazhong.credit.gateway.validation.Checked;
import cn.bazhong.credit.gateway.validation.Uscc;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import cn.bazhong.credit.gateway.yaml.YamlDocument;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads {@code config/catalog.yaml} and refuses it, naming file, line and key, when a measure has no
 * legal basis, names a unit or list type the catalog does not know, or is triggered by a list that
 * its listing unit does not decide. The gateway does not start with a broken catalog.
 */
public final class CatalogLoader {

    private static final Set<String> TOP = YamlDocument.keys("version", "description", "units", "listTypes", "measures");
    private static final Set<String> UNIT = YamlDocument.keys("name", "uscc");
    private static final Set<String> LIST_TYPE = YamlDocument.keys("name", "category", "listedBy");
    private static final Set<String> MEASURE = YamlDocument.keys("type", "listedBy", "triggers", "content", "legalBasis",
            "implementingUnits", "matters", "evidence", "duration", "legalRepresentatives");
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_-]*");

    private CatalogLoader() {
    }

    public static Catalog load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return load(file.toString(), reader);
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), 0, "", "cannot be read: " + e.getMessage());
        }
    }

    public static Catalog load(String fileName, Reader reader) {
        YamlDocument yaml = new YamlDocument(fileName);
        Node root = yaml.parse(reader);
        Map<String, Node> top = yaml.mapping(root, "", TOP);
        String version = yaml.requiredScalar(top, root, "version", "");
        Map<String, CatalogUnit> units = units(yaml, required(yaml, top, root, "units"));
        Map<String, ListTypeDefinition> listTypes = listTypes(yaml, required(yaml, top, root, "listTypes"), units);
        Map<String, Measure> measures = measures(yaml, required(yaml, top, root, "measures"), units, listTypes);
        return new Catalog(version, Map.copyOf(units), Map.copyOf(listTypes), java.util.Collections.unmodifiableMap(measures));
    }

    private static Node required(YamlDocument yaml, Map<String, Node> top, Node root, String key) {
        Node n = top.get(key);
        if (n == null) {
            throw yaml.fail(root, key, "is required");
        }
        return n;
    }

    private static Map<String, CatalogUnit> units(YamlDocument yaml, Node node) {
        Map<String, CatalogUnit> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : yaml.mapping(node, "units").entrySet()) {
            String key = "units." + e.getKey();
            code(yaml, e.getValue(), key, e.getKey());
            Map<String, Node> m = yaml.mapping(e.getValue(), key, UNIT);
            String uscc = null;
            if (m.containsKey("uscc")) {
                Checked<String> checked = Uscc.check(yaml.scalar(m.get("uscc"), key + ".uscc"));
                if (!checked.isOk()) {
                    throw yaml.fail(m.get("uscc"), key + ".uscc", checked.message());
                }
                uscc = checked.value();
            }
            out.put(e.getKey(), new CatalogUnit(e.getKey(), yaml.requiredScalar(m, e.getValue(), "name", key), uscc));
        }
        return out;
    }

    private static Map<String, ListTypeDefinition> listTypes(YamlDocument yaml, Node node, Map<String, CatalogUnit> units) {
        Map<String, ListTypeDefinition> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : yaml.mapping(node, "listTypes").entrySet()) {
            String key = "listTypes." + e.getKey();
            code(yaml, e.getValue(), key, e.getKey());
            Map<String, Node> m = yaml.mapping(e.getValue(), key, LIST_TYPE);
            String category = yaml.requiredScalar(m, e.getValue(), "category", key);
            ListCategory c;
            try {
                c = ListCategory.valueOf(category);
            } catch (IllegalArgumentException ex) {
                throw yaml.fail(m.get("category"), key + ".category", "'" + category + "' is not RED, BLACK or ATTENTION");
            }
            String listedBy = unit(yaml, m, e.getValue(), "listedBy", key, units);
            out.put(e.getKey(), new ListTypeDefinition(e.getKey(), yaml.requiredScalar(m, e.getValue(), "name", key), c, listedBy));
        }
        return out;
    }

    private static Map<String, Measure> measures(YamlDocument yaml, Node node, Map<String, CatalogUnit> units,
                                                 Map<String, ListTypeDefinition> listTypes) {
        Map<String, Measure> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : yaml.mapping(node, "measures").entrySet()) {
            String key = "measures." + e.getKey();
            code(yaml, e.getValue(), key, e.getKey());
            Map<String, Node> m = yaml.mapping(e.getValue(), key, MEASURE);
            String typeName = yaml.requiredScalar(m, e.getValue(), "type", key);
            MeasureType type;
            try {
                type = MeasureType.valueOf(typeName);
            } catch (IllegalArgumentException ex) {
                throw yaml.fail(m.get("type"), key + ".type", "'" + typeName + "' is not INCENTIVE or PUNISHMENT");
            }
            String listedBy = unit(yaml, m, e.getValue(), "listedBy", key, units);
            if (!m.containsKey("legalBasis") || yaml.scalar(m.get("legalBasis"), key + ".legalBasis").isBlank()) {
                throw yaml.fail(e.getValue(), key + ".legalBasis",
                        "every measure needs its legal basis (法律依据); a measure without one is never applied");
            }
            List<String> triggers = yaml.scalars(required(yaml, m, e.getValue(), "triggers", key), key + ".triggers");
            for (String t : triggers) {
                ListTypeDefinition lt = listTypes.get(t);
                if (lt == null) {
                    throw yaml.fail(m.get("triggers"), key + ".triggers", "unknown list type '" + t + "' (not under listTypes:)");
                }
                if (!lt.listedBy().equals(listedBy)) {
                    throw yaml.fail(m.get("triggers"), key + ".triggers", "list type " + t + " is decided by " + lt.listedBy()
                            + ", not by the measure's listedBy " + listedBy);
                }
                boolean incentive = lt.category() == ListCategory.RED;
                if (incentive != (type == MeasureType.INCENTIVE) && lt.category() != ListCategory.ATTENTION) {
                    throw yaml.fail(m.get("type"), key + ".type", "a " + type + " measure cannot be triggered by the "
                            + lt.category() + " list " + t);
                }
            }
            List<String> implementing = yaml.scalars(required(yaml, m, e.getValue(), "implementingUnits", key), key + ".implementingUnits");
            for (String u : implementing) {
                if (!units.containsKey(u)) {
                    throw yaml.fail(m.get("implementingUnits"), key + ".implementingUnits", "unknown unit '" + u + "' (not under units:)");
                }
            }
            List<String> matters = m.containsKey("matters") ? yaml.scalars(m.get("matters"), key + ".matters") : List.of();
            out.put(e.getKey(), new Measure(e.getKey(), type, listedBy, List.copyOf(triggers),
                    yaml.requiredScalar(m, e.getValue(), "content", key),
                    yaml.scalar(m.get("legalBasis"), key + ".legalBasis").strip(),
                    List.copyOf(implementing), List.copyOf(new ArrayList<>(matters)),
                    yaml.requiredScalar(m, e.getValue(), "evidence", key),
                    yaml.requiredScalar(m, e.getValue(), "duration", key),
                    legalRepresentatives(yaml, m, key, type)));
        }
        return out;
    }

    /** {@code legalRepresentatives: true}: the measure also applies to the legal representative of a listed organisation. */
    private static boolean legalRepresentatives(YamlDocument yaml, Map<String, Node> m, String key, MeasureType type) {
        if (!m.containsKey("legalRepresentatives")) {
            return false;
        }
        String v = yaml.scalar(m.get("legalRepresentatives"), key + ".legalRepresentatives");
        if (!v.equals("true") && !v.equals("false")) {
            throw yaml.fail(m.get("legalRepresentatives"), key + ".legalRepresentatives", "'" + v + "' is not true or false");
        }
        if (v.equals("true") && type != MeasureType.PUNISHMENT) {
            throw yaml.fail(m.get("legalRepresentatives"), key + ".legalRepresentatives",
                    "only a punishment measure reaches the legal representative of a listed organisation");
        }
        return v.equals("true");
    }

    private static Node required(YamlDocument yaml, Map<String, Node> m, Node parent, String name, String key) {
        Node n = m.get(name);
        if (n == null) {
            throw yaml.fail(parent, key + "." + name, "is required");
        }
        return n;
    }

    private static String unit(YamlDocument yaml, Map<String, Node> m, Node parent, String name, String key, Map<String, CatalogUnit> units) {
        String code = yaml.requiredScalar(m, parent, name, key);
        if (!units.containsKey(code)) {
            throw yaml.fail(m.get(name), key + "." + name, "unknown unit '" + code + "' (not under units:)");
        }
        return code;
    }

    private static void code(YamlDocument yaml, Node node, String key, String code) {
        if (!CODE.matcher(code).matches()) {
            throw yaml.fail(node, key, "'" + code + "' must be an upper-case code (letters, digits, _ and -)");
        }
    }
}
