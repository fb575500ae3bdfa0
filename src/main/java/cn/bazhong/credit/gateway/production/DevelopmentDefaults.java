package cn.bazhong.credit.gateway.production;

import cn.bazhong.credit.gateway.security.ApiKeys;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the secrets of a deployment that still hold the development defaults the repository ships,
 * so that the {@code production} profile can refuse to start with any of them:
 *
 * <ul>
 *   <li>{@code gateway.lists.subject-key-secret} (the key of the keyed hash that stands for a person's
 *       ID number) equal to {@value #SUBJECT_KEY_DEFAULT};
 *   <li>{@code gateway.upstream.token} equal to {@value #UPSTREAM_TOKEN_DEFAULT};
 *   <li>{@code gateway.feeds.<feed>.sftp.password} equal to the local demo's {@value #SFTP_PASSWORD_DEFAULT};
 *   <li>an API key hash under {@code gateway.access.departments.*} or {@code gateway.access.operators.*}
 *       that is the hash of a demo key ({@code demo-key-<name>}, the keys of the {@code local} profile);
 *   <li>in the subscriptions file, a webhook secret or an SFTP password written {@code ${NAME:default}}
 *       whose environment variable is not set (or is set to that same default), so that the
 *       development default would sign or log in.
 * </ul>
 *
 * Plain Java apart from reading YAML; the values themselves are never part of a finding.
 */
public final class DevelopmentDefaults {

    static final String SUBJECT_KEY_DEFAULT = "development-only-subject-key";
    static final String UPSTREAM_TOKEN_DEFAULT = "province-dev-token";
    static final String SFTP_PASSWORD_DEFAULT = "demo-sftp-password";
    /** The demo keys of the local profile ({@code demo-key-<name>}); only their hashes are ever configured. */
    static final List<String> DEMO_KEY_NAMES = List.of("scjgj", "zjfy", "xzspj", "ssthjj", "swj", "ggzy", "zwfw", "czj", "fgw",
            "rmyh", "jtysj", "ldxz", "operator", "province", "ops", "demo");

    private static final Set<String> DEMO_KEY_HASHES = DEMO_KEY_NAMES.stream()
            .map(n -> ApiKeys.hash("demo-key-" + n)).collect(Collectors.toUnmodifiableSet());
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::(.*))?}", Pattern.DOTALL);
    private static final Pattern ACCESS_KEY = Pattern.compile("gateway\\.access\\.(departments|operators)\\.[^.\\[]+(\\[\\d+])?");
    private static final Pattern SFTP_PASSWORD = Pattern.compile("gateway\\.feeds\\.[^.]+\\.sftp\\.password");

    private DevelopmentDefaults() {
    }

    /** One setting left at its development default: the setting's name and what to do about it. */
    public record Finding(String setting, String why) {
        @Override
        public String toString() {
            return setting + ": " + why;
        }
    }

    /**
     * The settings among {@code properties} (resolved values by property name; {@code names} lists the
     * names the configuration holds, to find access keys and SFTP passwords) that hold a development default.
     */
    public static List<Finding> inProperties(UnaryOperator<String> properties, Iterable<String> names) {
        List<Finding> found = new ArrayList<>();
        if (SUBJECT_KEY_DEFAULT.equals(properties.apply("gateway.lists.subject-key-secret"))) {
            found.add(new Finding("gateway.lists.subject-key-secret", "is the development default; set GATEWAY_SUBJECT_KEY_SECRET"
                    + " to a secret of at least 16 characters of this deployment"));
        }
        if (UPSTREAM_TOKEN_DEFAULT.equals(properties.apply("gateway.upstream.token"))) {
            found.add(new Finding("gateway.upstream.token", "is the development token of the provincial simulator;"
                    + " set GATEWAY_UPSTREAM_TOKEN to the province's token"));
        }
        List<String> sorted = new ArrayList<>();
        names.forEach(sorted::add);
        sorted = sorted.stream().distinct().sorted().toList();
        for (String name : sorted) {
            if (SFTP_PASSWORD.matcher(name).matches() && SFTP_PASSWORD_DEFAULT.equals(properties.apply(name))) {
                found.add(new Finding(name, "is the password of the local demo's SFTP server; use the department's"
                        + " password (or a private key) from the environment"));
            }
            if (ACCESS_KEY.matcher(name).matches()) {
                String value = properties.apply(name);
                if (value != null && Stream.of(value.split(",")).map(String::strip).anyMatch(DEMO_KEY_HASHES::contains)) {
                    found.add(new Finding(name, "holds the hash of a demo key of the local profile; configure the hash of"
                            + " a key made for this deployment (java -jar … access new-key)"));
                }
            }
        }
        return found;
    }

    /**
     * The webhook secrets and SFTP passwords of a subscriptions file that fall back to the default of
     * their {@code ${NAME:default}} placeholder, resolved like the subscriptions loader does ({@code env}:
     * System::getenv in production). A missing file yields nothing (the loader reports it).
     */
    public static List<Finding> inSubscriptions(Path file, UnaryOperator<String> env) {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Finding> found = new ArrayList<>();
        Node subscriptions = child(root, "subscriptions");
        if (!(subscriptions instanceof MappingNode departments)) {
            return found;
        }
        for (NodeTuple department : departments.getValue()) {
            String dept = scalar(department.getKeyNode());
            String key = "subscriptions." + dept;
            Node webhook = child(department.getValueNode(), "webhook");
            Node secrets = child(webhook, "secrets");
            List<Node> items = secrets instanceof SequenceNode seq ? seq.getValue() : secrets == null ? List.of() : List.of(secrets);
            for (Node item : items) {
                check(file, key + ".webhook.secrets", item, env, found);
            }
            check(file, key + ".sftp.password", child(child(department.getValueNode(), "sftp"), "password"), env, found);
        }
        return found;
    }

    private static void check(Path file, String key, Node node, UnaryOperator<String> env, List<Finding> found) {
        String raw = scalar(node);
        if (raw == null) {
            return;
        }
        Matcher p = PLACEHOLDER.matcher(raw.strip());
        if (!p.matches() || p.group(2) == null || "file".equals(p.group(1))) {
            return; // no default, or ${file:/path}: a file reference, not a development default
        }
        String value = env.apply(p.group(1));
        String where = key + " (" + file + ":" + (node.getStartMark().getLine() + 1) + ")";
        if (value == null || value.isEmpty()) {
            found.add(new Finding(where, p.group(1) + " is not set, so the development default written in the file would be used;"
                    + " set " + p.group(1)));
        } else if (value.equals(p.group(2))) {
            found.add(new Finding(where, p.group(1) + " is set to the development default written in the file; set a value of"
                    + " this deployment"));
        }
    }

    private static Node child(Node node, String name) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (name.equals(scalar(t.getKeyNode()))) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    private static String scalar(Node node) {
        return node instanceof ScalarNode s ? s.getValue() : null;
    }

    /** For tests and messages: the settings named by {@code findings}, in order. */
    static List<String> settings(List<Finding> findings) {
        return findings.stream().map(Finding::setting).toList();
    }
}
