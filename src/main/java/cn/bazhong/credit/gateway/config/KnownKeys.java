package cn.bazhong.credit.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration keys under one prefix ({@code gateway.}) that the gateway reads, as Spring Boot's
 * configuration metadata lists them ({@code META-INF/spring-configuration-metadata.json}, written at compile
 * time by spring-boot-configuration-processor from the settings records and from
 * {@code META-INF/additional-spring-configuration-metadata.json}).
 *
 * <p>A key of a map or list setting (its metadata type is a {@code java.util.Map}, {@code List},
 * {@code Set} or {@code Collection}) opens everything below it: {@code gateway.access.departments.SCJGJ[0]}
 * is a key of {@code gateway.access.departments}. Keys are compared in Spring's relaxed form: case, dashes,
 * underscores and list indexes do not matter ({@code gateway.nodeId} is {@code gateway.node-id}).
 */
public final class KnownKeys {

    /** Where the configuration processor writes the metadata, in every jar that has any. */
    static final String METADATA = "META-INF/spring-configuration-metadata.json";

    /** Relaxed form → the name as the metadata writes it. */
    private final Map<String, String> exact = new LinkedHashMap<>();
    private final Map<String, String> open = new LinkedHashMap<>();

    private KnownKeys() {
    }

    /** The keys under {@code prefix} (e.g. {@code "gateway."}) of every metadata file on the class path of {@code loader}. */
    public static KnownKeys fromClassPath(ClassLoader loader, String prefix) {
        ObjectMapper json = new ObjectMapper();
        KnownKeys keys = new KnownKeys();
        try {
            Enumeration<URL> files = loader.getResources(METADATA);
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        String name = property.path("name").asText("");
                        if (name.startsWith(prefix)) {
                            keys.add(name, property.path("type").asText(""));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the configuration metadata cannot be read", e);
        }
        return keys;
    }

    /** For tests: these names, with {@code type} as the metadata would give it (a Map or List type opens the key). */
    static KnownKeys of(Map<String, String> typesByName) {
        KnownKeys keys = new KnownKeys();
        typesByName.forEach(keys::add);
        return keys;
    }

    private void add(String name, String type) {
        if (type.startsWith("java.util.Map") || type.startsWith("java.util.List") || type.startsWith("java.util.Set")
                || type.startsWith("java.util.Collection") || type.endsWith("[]")) {
            open.put(relaxed(name), name);
        } else {
            exact.put(relaxed(name), name);
        }
    }

    public boolean isEmpty() {
        return exact.isEmpty() && open.isEmpty();
    }

    /** Whether the gateway reads {@code key} (a key as a property source names it). */
    public boolean contains(String key) {
        String k = relaxed(key);
        if (exact.containsKey(k) || open.containsKey(k)) {
            return true;
        }
        for (String prefix : open.keySet()) {
            if (k.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    /** The known key closest to {@code key} (Levenshtein distance over the relaxed forms), as the metadata writes it. */
    public Optional<String> nearest(String key) {
        String k = relaxed(key);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<Map.Entry<String, String>> candidates = new ArrayList<>(exact.entrySet());
        candidates.addAll(open.entrySet());
        for (Map.Entry<String, String> candidate : candidates) {
            String c = candidate.getKey();
            // a map or list key is compared with as many segments of the key as it has itself
            String compared = open.containsKey(c) ? firstSegments(k, segments(c)) : k;
            int d = levenshtein(compared, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate.getValue();
            }
        }
        return Optional.ofNullable(best);
    }

    /** Every known key as the metadata writes it (map and list keys included). */
    public Collection<String> names() {
        List<String> all = new ArrayList<>(exact.values());
        all.addAll(open.values());
        return all;
    }

    /** Spring's relaxed form, near enough: lower case, no dashes or underscores, no list indexes. */
    static String relaxed(String key) {
        return key.replaceAll("\\[[^]]*]", "").replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    private static int segments(String key) {
        return key.split("\\.", -1).length;
    }

    private static String firstSegments(String key, int count) {
        String[] parts = key.split("\\.", -1);
        return String.join(".", java.util.Arrays.copyOf(parts, Math.min(count, parts.length)));
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
