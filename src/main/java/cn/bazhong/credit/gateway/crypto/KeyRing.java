package cn.bazhong.credit.gateway.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data keys of field encryption: every key ever used (so that every stored value stays readable)
 * and the current one (for new writes). On disk it is a JSON file of wrapped keys, written 0600 and
 * read only when protected ({@link KeyFiles}):
 * <pre>{"format": "credit-gateway/data-keys/v1", "current": "dk-20261205T083000Z-1a2b3c",
 *  "keys": [{"id": "dk-20261205T083000Z-1a2b3c", "algorithm": "SM4-GCM", "kek": "kek-1",
 *            "created": "2026-12-05T08:30:00Z", "wrapped": "base64url(nonce | ciphertext | tag)"}]}</pre>
 * Without the KEK the file reveals no key. {@link #rotate} adds a key and makes it current; {@link #add}
 * can stage one first (in the ring, not yet current) and {@link #activate} make it current later, so that
 * every node can read a key's values before any node writes with it. No key is ever removed (a key may
 * go only once no value under it is kept anywhere).
 */
public final class KeyRing {

    public static final String FORMAT = "credit-gateway/data-keys/v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, DataKey> keys;
    private final DataKey current;

    /** A ring of {@code keys} (oldest first) whose current key is {@code currentId}. */
    public KeyRing(List<DataKey> keys, String currentId) {
        Map<String, DataKey> byId = new LinkedHashMap<>();
        for (DataKey k : keys) {
            if (byId.put(k.id(), k) != null) {
                throw new CryptoException("data key " + k.id() + " appears twice in the key ring");
            }
        }
        this.current = byId.get(currentId);
        if (current == null) {
            throw new CryptoException("the key ring's current data key " + currentId + " is not in it");
        }
        this.keys = Collections.unmodifiableMap(byId);
    }

    /** The key of new writes. */
    public DataKey current() {
        return current;
    }

    /** The key {@code id}, current or older. */
    public Optional<DataKey> find(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** Every key, oldest first. */
    public List<DataKey> keys() {
        return List.copyOf(keys.values());
    }

    /** A new data key for {@code algorithm} wrapped by {@code kek}, named {@code dk-<UTC time>-<6 random hex>}. */
    public static DataKey newDataKey(Aead algorithm, KeyEncryptionKey kek, Clock clock, SecureRandom random) {
        Instant now = clock.instant();
        byte[] suffix = new byte[3];
        random.nextBytes(suffix);
        String id = "dk-" + ID_TIME.format(now) + "-" + HexFormat.of().formatHex(suffix);
        return new DataKey(id, algorithm, kek.id(), now, algorithm.newKey(random));
    }

    /**
     * Loads the key ring file, unwrapping every key with {@code kek}.
     *
     * @throws CryptoException when the file is missing, not protected, malformed, or holds a key that
     *                         {@code kek} did not wrap or that was altered
     */
    public static KeyRing load(Path file, KeyEncryptionKey kek) {
        if (!Files.exists(file)) {
            throw new CryptoException("no data keys file " + file + "; create its first key with: java -jar … keys rotate-data-key --data-keys " + file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(KeyFiles.readProtected(file));
        } catch (IOException e) {
            throw new CryptoException("data keys file " + file + " is not JSON");
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new CryptoException("data keys file " + file + " is not of format " + FORMAT);
        }
        List<DataKey> keys = new ArrayList<>();
        for (JsonNode k : root.path("keys")) {
            String id = k.path("id").asText();
            String kekId = k.path("kek").asText();
            if (!kek.id().equals(kekId)) {
                throw new CryptoException("data key " + id + " of " + file + " is wrapped by KEK " + kekId
                        + ", but the KEK configured is " + kek.id());
            }
            Aead algorithm;
            Instant created;
            byte[] wrapped;
            try {
                algorithm = Aead.parse(k.path("algorithm").asText());
                created = Instant.parse(k.path("created").asText());
                wrapped = Base64.getUrlDecoder().decode(k.path("wrapped").asText());
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new CryptoException("data key " + id + " of " + file + " is malformed: " + e.getMessage());
            }
            keys.add(new DataKey(id, algorithm, kekId, created, kek.unwrap(id, algorithm, wrapped)));
        }
        if (keys.isEmpty()) {
            throw new CryptoException("data keys file " + file + " holds no key");
        }
        return new KeyRing(keys, root.path("current").asText());
    }

    /**
     * Adds a new data key for {@code algorithm} to the key ring file (creating the file if there is none)
     * and makes it current; the file is replaced atomically. Keys already in the file must unwrap under
     * {@code kek}, so that a wrong KEK never starts a ring nobody can read whole.
     *
     * @return the new key
     */
    public static DataKey rotate(Path file, KeyEncryptionKey kek, Aead algorithm, Clock clock, SecureRandom random) {
        return add(file, kek, algorithm, clock, random, true);
    }

    /**
     * Adds a new data key to the key ring file, current at once ({@code makeCurrent}, or when the file is
     * new) or staged: in the ring, so that every node can read values under it once the file has reached
     * them, but not used for writes until {@link #activate}.
     *
     * @return the new key
     */
    public static DataKey add(Path file, KeyEncryptionKey kek, Aead algorithm, Clock clock, SecureRandom random, boolean makeCurrent) {
        KeyRing existing = Files.exists(file) ? load(file, kek) : null;
        DataKey fresh = newDataKey(algorithm, kek, clock, random);
        List<DataKey> all = new ArrayList<>(existing == null ? List.of() : existing.keys());
        all.add(fresh);
        write(file, kek, all, makeCurrent || existing == null ? fresh.id() : existing.current().id(), random);
        return fresh;
    }

    /**
     * Makes the key {@code id} of the key ring file current (a staged key, or an older one to step back to).
     *
     * @throws CryptoException when the ring holds no such key
     */
    public static DataKey activate(Path file, KeyEncryptionKey kek, String id) {
        KeyRing ring = load(file, kek);
        DataKey key = ring.find(id).orElseThrow(() -> new CryptoException("the key ring " + file + " holds no data key " + id));
        write(file, kek, ring.keys(), id, new SecureRandom());
        return key;
    }

    /**
     * KEK rotation: every data key of the ring file unwrapped with {@code oldKek} and wrapped again with
     * {@code newKek} (the file replaced atomically). The data keys, and so every value written under them, do
     * not change: values name the KEK of their time, which only tells where their key came from.
     *
     * @return the ring as rewritten
     * @throws CryptoException when {@code oldKek} does not open the ring, or both KEKs have one id
     */
    public static KeyRing rewrap(Path file, KeyEncryptionKey oldKek, KeyEncryptionKey newKek, SecureRandom random) {
        if (oldKek.id().equals(newKek.id())) {
            throw new CryptoException("the new KEK has the id of the old one (" + newKek.id() + "): give it its own id");
        }
        KeyRing ring = load(file, oldKek);
        List<DataKey> rewrapped = new ArrayList<>();
        for (DataKey k : ring.keys()) {
            rewrapped.add(new DataKey(k.id(), k.algorithm(), newKek.id(), k.created(), k.key()));
        }
        write(file, newKek, rewrapped, ring.current().id(), random);
        return load(file, newKek);
    }

    private static void write(Path file, KeyEncryptionKey kek, List<DataKey> keys, String currentId, SecureRandom random) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("current", currentId);
        ArrayNode list = root.putArray("keys");
        for (DataKey k : keys) {
            ObjectNode n = list.addObject();
            n.put("id", k.id());
            n.put("algorithm", k.algorithm().label());
            n.put("kek", k.kekId());
            n.put("created", k.created().toString());
            n.put("wrapped", Base64.getUrlEncoder().withoutPadding().encodeToString(kek.wrap(k.id(), k.algorithm(), k.key(), random)));
        }
        try {
            KeyFiles.replaceOwnerOnly(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new CryptoException("cannot write " + file, e);
        }
    }
}
