package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.Catalog;
import cn.bazhong.credit.gateway.crypto.CryptoException;
import cn.bazhong.credit.gateway.crypto.KeyFiles;
import cn.bazhong.credit.gateway.fanout.Subscription.CamelChannel;
import cn.bazhong.credit.gateway.fanout.Subscription.Channel;
import cn.bazhong.credit.gateway.fanout.Subscription.KafkaChannel;
import cn.bazhong.credit.gateway.fanout.Subscription.RetryPolicy;
import cn.bazhong.credit.gateway.fanout.Subscription.SftpChannel;
import cn.bazhong.credit.gateway.fanout.Subscription.WebhookChannel;
import cn.bazhong.credit.gateway.yaml.ConfigFileException;
import cn.bazhong.credit.gateway.yaml.YamlDocument;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads {@code config/subscriptions.yaml} against the loaded catalog and refuses it, naming file, line and
 * key, when a department is not a catalog unit or implements no catalog measure, has no channel or two,
 * a webhook URL that is not http(s), a secret that is not {@code whsec_<base64>}, an SFTP drop without a
 * known-hosts file, a {@code camel} endpoint whose component or options Camel does not know ({@link EndpointCheck}),
 * or any key it does not know.
 *
 * <p>Channel values may be written {@code ${NAME}} or {@code ${NAME:default}}: the setting NAME as the
 * gateway sees it (an environment variable, or a file of a config tree, {@code spring.config.import:
 * configtree:...}), else the default; an unset NAME without default is an error. {@code ${file:/path}} is
 * the content of that file (trailing line breaks removed), which must be readable by its owner (and
 * group) only, like every key file ({@link KeyFiles}).
 */
public final class SubscriptionsLoader {

    private static final Set<String> TOP = YamlDocument.keys("description", "subscriptions");
    private static final Set<String> SUBSCRIPTION = YamlDocument.keys("webhook", "sftp", "kafka", "camel", "fullIdNumbers", "enabled", "retry");
    private static final Set<String> CHANNELS = Set.of("webhook", "sftp", "kafka", "camel");
    private static final Set<String> WEBHOOK = YamlDocument.keys("url", "secrets", "signSm2");
    private static final Set<String> SFTP = YamlDocument.keys("host", "port", "username", "password", "privateKeyFile",
            "knownHostsFile", "directory");
    private static final Set<String> KAFKA = YamlDocument.keys("topic");
    private static final Set<String> CAMEL = YamlDocument.keys("uri", "parameters", "secrets");
    private static final Pattern CAMEL_URI = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(?!//?$).+", Pattern.DOTALL);
    private static final Set<String> RETRY = YamlDocument.keys("maxAttempts", "initialBackoff", "maxBackoff");
    private static final Pattern FILE_REFERENCE = Pattern.compile("\\$\\{file:(.+)}", Pattern.DOTALL);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::(.*))?}", Pattern.DOTALL);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    /**
     * Checks a {@code camel} channel's endpoint where the Camel context is at hand ({@link CamelEndpoints}): the
     * problem in a sentence (unknown component, unknown option, ...), or null when the endpoint can be created.
     */
    @FunctionalInterface
    public interface EndpointCheck {
        EndpointCheck SYNTAX_ONLY = channel -> null;

        String problem(CamelChannel channel);
    }

    private final YamlDocument yaml;
    private final UnaryOperator<String> env;
    private final EndpointCheck endpoints;

    private SubscriptionsLoader(String fileName, UnaryOperator<String> env, EndpointCheck endpoints) {
        this.yaml = new YamlDocument(fileName);
        this.env = env;
        this.endpoints = endpoints;
    }

    public static Subscriptions load(Path file, Catalog catalog) {
        return load(file, catalog, System::getenv);
    }

    /** {@code settings} resolves {@code ${NAME}} placeholders (the Spring environment in the gateway). */
    public static Subscriptions load(Path file, Catalog catalog, UnaryOperator<String> settings) {
        return load(file, catalog, settings, EndpointCheck.SYNTAX_ONLY);
    }

    /** {@code endpoints} checks each {@code camel} channel against the gateway's Camel context. */
    public static Subscriptions load(Path file, Catalog catalog, UnaryOperator<String> settings, EndpointCheck endpoints) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return load(file.toString(), reader, catalog, settings, endpoints);
        } catch (IOException e) {
            throw new ConfigFileException(file.toString(), 0, "", "cannot be read: " + e.getMessage());
        }
    }

    /** {@code env} resolves {@code ${NAME}} placeholders (System::getenv in production). */
    public static Subscriptions load(String fileName, Reader reader, Catalog catalog, UnaryOperator<String> env) {
        return load(fileName, reader, catalog, env, EndpointCheck.SYNTAX_ONLY);
    }

    public static Subscriptions load(String fileName, Reader reader, Catalog catalog, UnaryOperator<String> env, EndpointCheck endpoints) {
        return new SubscriptionsLoader(fileName, env, endpoints).read(reader, catalog);
    }

    /**
     * What keeps subscriptions loaded before from running with {@code catalog} (a catalog the live reload is to put in
     * use): each subscribed department must still be a unit of it that implements a measure. One sentence per
     * department, empty when they fit.
     */
    public static List<String> misfits(Subscriptions subscriptions, Catalog catalog) {
        List<String> out = new ArrayList<>();
        for (String dept : subscriptions.byDepartment().keySet()) {
            if (!catalog.units().containsKey(dept)) {
                out.add("the subscriptions name " + dept + ", which is not a unit of catalog " + catalog.version());
            } else if (catalog.measures().values().stream().noneMatch(m -> m.implementingUnits().contains(dept))) {
                out.add("the subscriptions name " + dept + ", which implements no measure of catalog " + catalog.version());
            }
        }
        return out;
    }

    private Subscriptions read(Reader reader, Catalog catalog) {
        Node root = yaml.parse(reader);
        Map<String, Node> top = yaml.mapping(root, "", TOP);
        Node subs = top.get("subscriptions");
        if (subs == null) {
            throw yaml.fail(root, "subscriptions", "is required");
        }
        Map<String, Subscription> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : yaml.mapping(subs, "subscriptions").entrySet()) {
            String dept = e.getKey();
            String key = "subscriptions." + dept;
            if (!catalog.units().containsKey(dept)) {
                throw yaml.fail(e.getValue(), key, "'" + dept + "' is not a unit of the catalog (not under units: in the catalog)");
            }
            boolean implementsSomething = catalog.measures().values().stream().anyMatch(m -> m.implementingUnits().contains(dept));
            if (!implementsSomething) {
                throw yaml.fail(e.getValue(), key, dept + " implements no catalog measure, so it would receive nothing;"
                        + " add it to a measure's implementingUnits or remove the subscription");
            }
            out.put(dept, subscription(dept, e.getValue(), key));
        }
        return new Subscriptions(catalog, Collections.unmodifiableMap(out));
    }

    private Subscription subscription(String dept, Node node, String key) {
        Map<String, Node> m = yaml.mapping(node, key, SUBSCRIPTION);
        List<String> channels = new ArrayList<>();
        for (String c : m.keySet()) { // file order, so the second channel written is the one reported
            if (CHANNELS.contains(c)) {
                channels.add(c);
            }
        }
        if (channels.isEmpty()) {
            throw yaml.fail(node, key, "needs exactly one channel: webhook, sftp, kafka or camel");
        }
        if (channels.size() > 1) {
            throw yaml.fail(m.get(channels.get(1)), key + "." + channels.get(1),
                    "a subscription has exactly one channel, found " + String.join(" and ", channels));
        }
        String c = channels.get(0);
        Node cn = m.get(c);
        String ck = key + "." + c;
        Channel channel = switch (c) {
            case "webhook" -> webhook(cn, ck);
            case "sftp" -> sftp(cn, ck);
            case "camel" -> camel(cn, ck);
            default -> kafka(cn, ck);
        };
        boolean full = m.containsKey("fullIdNumbers") && yaml.bool(m.get("fullIdNumbers"), key + ".fullIdNumbers");
        boolean enabled = !m.containsKey("enabled") || yaml.bool(m.get("enabled"), key + ".enabled");
        RetryPolicy retry = m.containsKey("retry") ? retry(m.get("retry"), key + ".retry") : RetryPolicy.DEFAULT;
        return new Subscription(dept, channel, full, enabled, retry);
    }

    private WebhookChannel webhook(Node node, String key) {
        Map<String, Node> m = yaml.mapping(node, key, WEBHOOK);
        String url = required(m, node, "url", key);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException ex) {
            throw yaml.fail(m.get("url"), key + ".url", "not a valid URL: " + ex.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw yaml.fail(m.get("url"), key + ".url", "must be an http:// or https:// URL with a host");
        }
        Node sn = m.get("secrets");
        if (sn == null) {
            throw yaml.fail(node, key + ".secrets", "is required (whsec_... values, two during a rotation)");
        }
        List<String> secrets = new ArrayList<>();
        yaml.scalars(sn, key + ".secrets"); // a value or a non-empty list of values
        List<Node> items = sn instanceof SequenceNode seq ? seq.getValue() : List.of(sn);
        for (Node item : items) {
            String secret = resolve(yaml.scalar(item, key + ".secrets"), item, key + ".secrets");
            String problem = WebhookSigner.secretProblem(secret);
            if (problem != null) {
                throw yaml.fail(item, key + ".secrets", "a secret " + problem);
            }
            secrets.add(secret);
        }
        boolean signSm2 = m.containsKey("signSm2") && yaml.bool(m.get("signSm2"), key + ".signSm2");
        return new WebhookChannel(uri, List.copyOf(secrets), signSm2);
    }

    private SftpChannel sftp(Node node, String key) {
        Map<String, Node> m = yaml.mapping(node, key, SFTP);
        String host = required(m, node, "host", key);
        int port = 22;
        if (m.containsKey("port")) {
            String p = optional(m, "port", key);
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException ex) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw yaml.fail(m.get("port"), key + ".port", "must be a port number 1-65535, found '" + p + "'");
            }
        }
        String username = required(m, node, "username", key);
        String password = optional(m, "password", key);
        String keyFile = optional(m, "privateKeyFile", key);
        if ((password == null) == (keyFile == null)) {
            throw yaml.fail(node, key, "needs exactly one of password and privateKeyFile");
        }
        if (!m.containsKey("knownHostsFile")) {
            throw yaml.fail(node, key + ".knownHostsFile",
                    "is required: the department's host key is always checked (no trust-on-first-use)");
        }
        String knownHosts = required(m, node, "knownHostsFile", key);
        String directory = required(m, node, "directory", key);
        return new SftpChannel(host, port, username, password, keyFile == null ? null : Path.of(keyFile),
                Path.of(knownHosts), directory);
    }

    private KafkaChannel kafka(Node node, String key) {
        Map<String, Node> m = yaml.mapping(node, key, KAFKA);
        String topic = required(m, node, "topic", key);
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw yaml.fail(m.get("topic"), key + ".topic", "'" + topic + "' is not a legal Kafka topic name");
        }
        return new KafkaChannel(topic);
    }

    /**
     * {@code uri} (component and path, {@code direct:dept-xyz-out}), {@code parameters} (the endpoint's options, one
     * scalar each) and optional {@code secrets} (whsec_..., Standard Webhooks headers on every message). The endpoint
     * itself is checked by {@link #endpoints}: an unknown component or option is refused here, with file and line.
     */
    private CamelChannel camel(Node node, String key) {
        Map<String, Node> m = yaml.mapping(node, key, CAMEL);
        String uri = required(m, node, "uri", key).strip();
        if (!CAMEL_URI.matcher(uri).matches()) {
            throw yaml.fail(m.get("uri"), key + ".uri", "'" + uri + "' is not a Camel endpoint URI (component:path, e.g. "
                    + "direct:dept-xyz-out or file:/exchange/out)");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (m.containsKey("parameters")) {
            for (Map.Entry<String, Node> p : yaml.mapping(m.get("parameters"), key + ".parameters").entrySet()) {
                String pk = key + ".parameters." + p.getKey();
                String value = resolve(yaml.scalar(p.getValue(), pk), p.getValue(), pk);
                if (value.contains(")") && value.contains("}")) {
                    throw yaml.fail(p.getValue(), pk, "a value may hold ')' or '}' but not both (it is passed to Camel as RAW(...))");
                }
                parameters.put(p.getKey(), value);
            }
        }
        if (uri.contains("?") && !parameters.isEmpty()) {
            throw yaml.fail(m.get("uri"), key + ".uri", "write the options either in the URI after '?' or under parameters, not both");
        }
        List<String> secrets = new ArrayList<>();
        Node sn = m.get("secrets");
        if (sn != null) {
            yaml.scalars(sn, key + ".secrets");
            for (Node item : sn instanceof SequenceNode seq ? seq.getValue() : List.of(sn)) {
                String secret = resolve(yaml.scalar(item, key + ".secrets"), item, key + ".secrets");
                String problem = WebhookSigner.secretProblem(secret);
                if (problem != null) {
                    throw yaml.fail(item, key + ".secrets", "a secret " + problem);
                }
                secrets.add(secret);
            }
        }
        CamelChannel channel = new CamelChannel(uri, parameters, secrets);
        String problem = endpoints.problem(channel);
        if (problem != null) {
            throw yaml.fail(m.get("uri"), key + ".uri", problem);
        }
        return channel;
    }

    private RetryPolicy retry(Node node, String key) {
        Map<String, Node> m = yaml.mapping(node, key, RETRY);
        RetryPolicy d = RetryPolicy.DEFAULT;
        int attempts = d.maxAttempts();
        if (m.containsKey("maxAttempts")) {
            String v = yaml.scalar(m.get("maxAttempts"), key + ".maxAttempts");
            try {
                attempts = Integer.parseInt(v);
            } catch (NumberFormatException ex) {
                attempts = 0;
            }
            if (attempts < 1) {
                throw yaml.fail(m.get("maxAttempts"), key + ".maxAttempts", "must be a whole number of at least 1, found '" + v + "'");
            }
        }
        Duration initial = m.containsKey("initialBackoff") ? duration(m.get("initialBackoff"), key + ".initialBackoff") : d.initialBackoff();
        Duration max = m.containsKey("maxBackoff") ? duration(m.get("maxBackoff"), key + ".maxBackoff") : d.maxBackoff();
        if (initial.compareTo(max) > 0) {
            throw yaml.fail(m.containsKey("maxBackoff") ? m.get("maxBackoff") : node, key + ".maxBackoff",
                    "must not be shorter than initialBackoff (" + initial + ")");
        }
        return new RetryPolicy(attempts, initial, max);
    }

    /** ISO-8601 ({@code PT5S}) or Spring style ({@code 500ms}, {@code 5s}, {@code 10m}, {@code 1h}, {@code 1d}); positive. */
    private Duration duration(Node node, String key) {
        String v = yaml.scalar(node, key).strip();
        Duration d;
        Matcher s = SHORT_DURATION.matcher(v);
        try {
            if (s.matches()) {
                long n = Long.parseLong(s.group(1));
                d = switch (s.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else {
                d = Duration.parse(v);
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException ex) {
            throw yaml.fail(node, key, "'" + v + "' is not a duration (e.g. 5s, 10m, PT30S)");
        }
        if (d.isNegative() || d.isZero()) {
            throw yaml.fail(node, key, "must be a positive duration, found '" + v + "'");
        }
        return d;
    }

    private String required(Map<String, Node> m, Node parent, String name, String key) {
        String raw = yaml.requiredScalar(m, parent, name, key);
        String v = resolve(raw, m.get(name), key + "." + name);
        if (v.isBlank()) {
            throw yaml.fail(m.get(name), key + "." + name, "must not be empty");
        }
        return v;
    }

    private String optional(Map<String, Node> m, String name, String key) {
        Node n = m.get(name);
        if (n == null) {
            return null;
        }
        String v = resolve(yaml.scalar(n, key + "." + name), n, key + "." + name);
        if (v.isBlank()) {
            throw yaml.fail(n, key + "." + name, "must not be empty");
        }
        return v;
    }

    /** A whole value {@code ${file:/path}}, {@code ${NAME}} or {@code ${NAME:default}}; anything else is taken literally. */
    private String resolve(String raw, Node node, String key) {
        Matcher f = FILE_REFERENCE.matcher(raw.strip());
        if (f.matches()) {
            try {
                return KeyFiles.readProtectedText(Path.of(f.group(1).strip()));
            } catch (CryptoException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
                throw yaml.fail(node, key, "the file of ${file:...} cannot be used: " + e.getMessage());
            }
        }
        Matcher p = PLACEHOLDER.matcher(raw.strip());
        if (!p.matches()) {
            return raw;
        }
        String value = env.apply(p.group(1));
        if (value != null && !value.isEmpty()) {
            return value;
        }
        if (p.group(2) == null) {
            throw yaml.fail(node, key, "setting " + p.group(1) + " (environment variable or config-tree file) is not set and ${" + p.group(1)
                    + "} has no default (write ${" + p.group(1) + ":default})");
        }
        return p.group(2);
    }
}
