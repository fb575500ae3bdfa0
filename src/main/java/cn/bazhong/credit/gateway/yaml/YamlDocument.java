package cn.bazhong.credit.gateway.yaml;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a YAML configuration file (a mapping, the catalog, the subscriptions) as a node tree that
 * keeps line numbers, so that every complaint can name the file, the line and the key.
 */
public final class YamlDocument {

    private final String file;

    public YamlDocument(String file) {
        this.file = file;
    }

    public Node parse(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(1_000_000);
        try {
            Node root = new Yaml(options).compose(reader);
            if (root == null) {
                throw fail(null, "", "the file is empty");
            }
            return root;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new ConfigFileException(file, line, "", "not valid YAML: " + e.getProblem());
        }
    }

    public ConfigFileException fail(Node node, String key, String problem) {
        return new ConfigFileException(file, line(node), key, problem);
    }

    public static int line(Node node) {
        return node == null ? 1 : node.getStartMark().getLine() + 1;
    }

    /** The entries of a mapping node in file order; duplicate keys and keys outside {@code allowed} are errors. */
    public Map<String, Node> mapping(Node node, String key, Set<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            throw fail(node, key, "expected a mapping (key: value lines)");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode(), key);
            String path = key.isEmpty() ? k : key + "." + k;
            if (out.containsKey(k)) {
                throw fail(t.getKeyNode(), path, "appears twice");
            }
            if (allowed != null && !allowed.contains(k)) {
                throw fail(t.getKeyNode(), path, "unknown key (allowed here: " + String.join(", ", allowed) + ")");
            }
            out.put(k, t.getValueNode());
        }
        return out;
    }

    public Map<String, Node> mapping(Node node, String key) {
        return mapping(node, key, null);
    }

    public String scalar(Node node, String key) {
        if (!(node instanceof ScalarNode s)) {
            throw fail(node, key, "expected a single value");
        }
        return s.getValue();
    }

    public String requiredScalar(Map<String, Node> map, Node parent, String key, String path) {
        Node n = map.get(key);
        if (n == null) {
            throw fail(parent, path.isEmpty() ? key : path + "." + key, "is required");
        }
        String v = scalar(n, path.isEmpty() ? key : path + "." + key);
        if (v.isBlank()) {
            throw fail(n, path.isEmpty() ? key : path + "." + key, "must not be empty");
        }
        return v;
    }

    /** A scalar or a sequence of scalars, as a list. */
    public List<String> scalars(Node node, String key) {
        if (node instanceof SequenceNode seq) {
            List<String> out = new ArrayList<>();
            for (Node item : seq.getValue()) {
                out.add(scalar(item, key));
            }
            if (out.isEmpty()) {
                throw fail(node, key, "must not be an empty list");
            }
            return out;
        }
        return List.of(scalar(node, key));
    }

    public boolean bool(Node node, String key) {
        String v = scalar(node, key);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw fail(node, key, "expected true or false, found '" + v + "'");
        };
    }

    public static Set<String> keys(String... keys) {
        return new java.util.LinkedHashSet<>(List.of(keys));
    }

    public static Set<String> distinct(List<String> values) {
        return new HashSet<>(values);
    }
}
