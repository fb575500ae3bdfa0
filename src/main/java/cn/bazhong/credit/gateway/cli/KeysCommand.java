package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.crypto.Aead;
import cn.bazhong.credit.gateway.crypto.CryptoException;
import cn.bazhong.credit.gateway.crypto.DataKey;
import cn.bazhong.credit.gateway.crypto.KekSource;
import cn.bazhong.credit.gateway.crypto.KeyEncryptionKey;
import cn.bazhong.credit.gateway.crypto.KeyFiles;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.crypto.KeyRing;
import cn.bazhong.credit.gateway.crypto.Sm2;
import cn.bazhong.credit.gateway.crypto.Sm2SigningKey;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keys <command>}: the operators' key tools, run from the jar without starting the gateway.
 * Key material goes only to files created 0600 (never overwritten) and never to stdout; secrets are read
 * from the environment or from files only their owner can read, never from the command line.
 * <ul>
 *   <li>{@code keys new-kek (--out <file> | --keystore <file.p12>) [--kek-id <id>]}: a new 256-bit
 *       key-encryption key, as base64 in a file or as a secret-key entry of a new PKCS#12 keystore
 *       (password from GATEWAY_CRYPTO_KEYSTORE_PASSWORD).</li>
 *   <li>{@code keys rotate-data-key [--data-keys <file>] [--algorithm SM4-GCM|AES-256-GCM] [--kek-id <id>]
 *       [--kek-file <file> | --keystore <file.p12>] [--stage true | --activate <data key id>]}: adds a data
 *       key to the key ring file (creating it) and makes it the key of new writes, or only stages it
 *       ({@code --stage true}), or makes a key of the ring current ({@code --activate}); the KEK as the
 *       gateway finds it (GATEWAY_CRYPTO_* variables).</li>
 *   <li>{@code keys rotate-kek --new-kek-id <id> --new-kek-file <file> [--data-keys <file>] [--kek-id <id>]
 *       [--kek-file <file> | --keystore <file.p12>]}: wraps every data key of the ring again with a new KEK
 *       (made with {@code keys new-kek}); values need no rewriting.</li>
 *   <li>{@code keys reencrypt --bootstrap-servers <host:port> [--topics <t1,t2>] [--dry-run true] [the KEK and ring
 *       options]}: with the gateway stopped, brings the sealed values of the compacted topics under the current
 *       data key ({@link ReencryptRun}).</li>
 *   <li>{@code keys new-sm2 --out <prefix>}: an SM2 key pair, {@code <prefix>.key.pem} (PKCS#8, 0600)
 *       and {@code <prefix>.pub.pem} (X.509), and the public key's id.</li>
 * </ul>
 * Exit codes: 0 done, 2 nothing done (the reason on stderr).
 */
public final class KeysCommand {

    public static final int DONE = 0;
    public static final int UNUSABLE = 2;

    static final String USAGE = """
            usage: keys new-kek (--out <file> | --keystore <file.p12>) [--kek-id <id>]
                   keys rotate-data-key [--data-keys <file>] [--algorithm SM4-GCM|AES-256-GCM] [--kek-id <id>]
                                        [--kek-file <file> | --keystore <file.p12>] [--stage true | --activate <id>]
                   keys rotate-kek --new-kek-id <id> --new-kek-file <file> [--data-keys <file>] [--kek-id <id>]
                                   [--kek-file <file> | --keystore <file.p12>]
                   keys reencrypt --bootstrap-servers <host:port> [--topics <t1,t2,…>] [--dry-run true] [--data-keys <file>]
                                  [--kek-id <id>] [--kek-file <file> | --keystore <file.p12>]   (with the gateway stopped)
                   keys new-sm2 --out <prefix>
              secrets come from the environment, never the command line: GATEWAY_CRYPTO_KEYSTORE_PASSWORD,
              GATEWAY_CRYPTO_KEK (base64), GATEWAY_CRYPTO_KEK_FILE, GATEWAY_CRYPTO_KEYSTORE, GATEWAY_CRYPTO_KEK_ID,
              GATEWAY_CRYPTO_DATA_KEYS (default config/data-keys.json), GATEWAY_CRYPTO_ALGORITHM (default SM4-GCM).
              exit 0: done, 2: nothing done""";

    private final Clock clock;
    private final Map<String, String> env;
    private final SecureRandom random;

    public KeysCommand(Clock clock, Map<String, String> env, SecureRandom random) {
        this.clock = clock;
        this.env = env;
        this.random = random;
    }

    /** Runs the command on {@code args} (without the leading "keys"). */
    public int run(List<String> args, PrintStream stdout, PrintStream stderr) {
        if (args.isEmpty()) {
            stderr.println(USAGE);
            return UNUSABLE;
        }
        try {
            Map<String, String> options = options(args.subList(1, args.size()));
            return switch (args.get(0)) {
                case "new-kek" -> newKek(options, stdout);
                case "rotate-data-key" -> rotateDataKey(options, stdout);
                case "rotate-kek" -> rotateKek(options, stdout);
                case "reencrypt" -> reencrypt(options, stdout);
                case "new-sm2" -> newSm2(options, stdout);
                default -> throw new IllegalArgumentException("unknown command keys " + args.get(0));
            };
        } catch (IllegalArgumentException e) {
            stderr.println(e.getMessage());
            stderr.println(USAGE);
            return UNUSABLE;
        } catch (CryptoException | UncheckedIOException e) {
            stderr.println("nothing done: " + e.getMessage());
            return UNUSABLE;
        }
    }

    private int newKek(Map<String, String> o, PrintStream out) {
        known(o, "--out", "--keystore", "--kek-id");
        String id = o.getOrDefault("--kek-id", env.getOrDefault("GATEWAY_CRYPTO_KEK_ID", "kek-1"));
        if (o.containsKey("--out") == o.containsKey("--keystore")) {
            throw new IllegalArgumentException("keys new-kek needs one of --out <file> and --keystore <file.p12>");
        }
        KeyEncryptionKey kek = KeyEncryptionKey.generate(id, random);
        if (o.containsKey("--out")) {
            KeyFiles.createOwnerOnly(Path.of(o.get("--out")), kek.toBase64() + "\n");
            out.println("KEK " + id + " written to " + o.get("--out") + " (0600): set GATEWAY_CRYPTO_KEK_FILE=" + o.get("--out")
                    + " and GATEWAY_CRYPTO_KEK_ID=" + id + "; keep a copy in the credit office's safe, it cannot be recovered");
        } else {
            String password = env.get("GATEWAY_CRYPTO_KEYSTORE_PASSWORD");
            if (password == null || password.length() < 8) {
                throw new CryptoException("set the keystore's password (at least 8 characters) in GATEWAY_CRYPTO_KEYSTORE_PASSWORD");
            }
            kek.storeInNewPkcs12(Path.of(o.get("--keystore")), password.toCharArray());
            out.println("KEK " + id + " stored in the new keystore " + o.get("--keystore") + " (0600): set GATEWAY_CRYPTO_KEYSTORE="
                    + o.get("--keystore") + " and GATEWAY_CRYPTO_KEK_ID=" + id + "; keep a copy in the credit office's safe");
        }
        return DONE;
    }

    private int rotateDataKey(Map<String, String> o, PrintStream out) {
        known(o, "--data-keys", "--algorithm", "--kek-id", "--kek-file", "--keystore", "--stage", "--activate");
        Path ring = Path.of(o.getOrDefault("--data-keys", env.getOrDefault("GATEWAY_CRYPTO_DATA_KEYS", "config/data-keys.json")));
        Aead algorithm = Aead.parse(o.getOrDefault("--algorithm", env.getOrDefault("GATEWAY_CRYPTO_ALGORITHM", "SM4-GCM")));
        boolean stage = Boolean.parseBoolean(o.getOrDefault("--stage", "false"));
        if (stage && o.containsKey("--activate")) {
            throw new IllegalArgumentException("--stage and --activate are two steps: run them one after the other");
        }
        KeyEncryptionKey kek = currentKek(o);
        if (o.containsKey("--activate")) {
            DataKey key = KeyRing.activate(ring, kek, o.get("--activate"));
            out.println("data key " + key.id() + " (" + key.algorithm().label() + ") is now the key of new writes in " + ring
                    + "; copy the file to every node and restart them one at a time");
            return DONE;
        }
        boolean exists = Files.exists(ring);
        DataKey key = KeyRing.add(ring, kek, algorithm, clock, random, !stage);
        KeyRing loaded = KeyRing.load(ring, kek);
        int count = loaded.keys().size();
        String keys = count + (count == 1 ? " key" : " keys");
        if (stage && exists) {
            out.println("data key " + key.id() + " (" + algorithm.label() + ", wrapped by KEK " + kek.id() + ") is staged in " + ring
                    + " (" + keys + "; new writes still use " + loaded.current().id() + "); copy the file to every node, restart them"
                    + " one at a time, then: keys rotate-data-key --activate " + key.id());
        } else {
            out.println("data key " + key.id() + " (" + algorithm.label() + ", wrapped by KEK " + kek.id() + ") is now the key of new writes in "
                    + ring + " (" + keys + "); copy the file to every node and restart them one at a time,"
                    + " then re-encrypt older values (docs/security.md)");
        }
        return DONE;
    }

    private int rotateKek(Map<String, String> o, PrintStream out) {
        known(o, "--data-keys", "--kek-id", "--kek-file", "--keystore", "--new-kek-id", "--new-kek-file");
        if (!o.containsKey("--new-kek-id") || !o.containsKey("--new-kek-file")) {
            throw new IllegalArgumentException("keys rotate-kek needs --new-kek-id <id> and --new-kek-file <file> (keys new-kek --out <file> --kek-id <id>)");
        }
        Path ring = Path.of(o.getOrDefault("--data-keys", env.getOrDefault("GATEWAY_CRYPTO_DATA_KEYS", "config/data-keys.json")));
        KeyEncryptionKey old = currentKek(o);
        KeyEncryptionKey fresh = KeyEncryptionKey.fromFile(o.get("--new-kek-id"), Path.of(o.get("--new-kek-file")));
        KeyRing rewritten = KeyRing.rewrap(ring, old, fresh, random);
        out.println(rewritten.keys().size() + " data keys of " + ring + " are now wrapped by KEK " + fresh.id() + " (was " + old.id()
                + "); give every node this file together with the new KEK (GATEWAY_CRYPTO_KEK_ID=" + fresh.id()
                + ", GATEWAY_CRYPTO_KEK_FILE=" + o.get("--new-kek-file") + ") and restart them one at a time; then destroy the old KEK");
        return DONE;
    }

    /** The gateway's compacted topics that keep sealed values, by their default names. */
    static final String REENCRYPTED_TOPICS = "credit.list-state,credit.snapshot-members,credit.fanout.dlq,credit.initiations";

    private int reencrypt(Map<String, String> o, PrintStream out) {
        known(o, "--bootstrap-servers", "--topics", "--dry-run", "--data-keys", "--kek-id", "--kek-file", "--keystore");
        String bootstrap = o.getOrDefault("--bootstrap-servers", env.get("GATEWAY_KAFKA_BOOTSTRAP"));
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("keys reencrypt needs --bootstrap-servers <host:port> (or GATEWAY_KAFKA_BOOTSTRAP)");
        }
        Path ringFile = Path.of(o.getOrDefault("--data-keys", env.getOrDefault("GATEWAY_CRYPTO_DATA_KEYS", "config/data-keys.json")));
        KeyRing ring = KeyRing.load(ringFile, currentKek(o));
        boolean dryRun = Boolean.parseBoolean(o.getOrDefault("--dry-run", "false"));
        List<String> topics = List.of(o.getOrDefault("--topics", REENCRYPTED_TOPICS).split(","));
        List<ReencryptRun.Result> results;
        try {
            results = new ReencryptRun(bootstrap, new cn.bazhong.credit.gateway.privacy.PersonalFields(new FieldCipher(ring)))
                    .run(topics.stream().map(String::strip).filter(t -> !t.isEmpty()).toList(), dryRun);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CryptoException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CryptoException("Kafka " + bootstrap + ": " + e.getCause().getMessage());
        }
        for (ReencryptRun.Result r : results) {
            out.println(r.topic() + ": " + r.latest() + " latest values, " + r.rewritten() + (dryRun ? " to rewrite" : " rewritten")
                    + " under data key " + ring.current().id());
        }
        out.println(dryRun ? "dry run: nothing written" : "done; start the nodes (their views are rebuilt from these topics)");
        return DONE;
    }

    /** The KEK as the gateway finds it: --kek-file or --keystore, else the GATEWAY_CRYPTO_* variables. */
    private KeyEncryptionKey currentKek(Map<String, String> o) {
        String id = o.getOrDefault("--kek-id", env.getOrDefault("GATEWAY_CRYPTO_KEK_ID", "kek-1"));
        if (o.containsKey("--kek-file") || o.containsKey("--keystore")) {
            return new KekSource(id, o.get("--keystore"), env.get("GATEWAY_CRYPTO_KEYSTORE_PASSWORD"), o.get("--kek-file"), null).load();
        }
        return new KekSource(id, env.get("GATEWAY_CRYPTO_KEYSTORE"), env.get("GATEWAY_CRYPTO_KEYSTORE_PASSWORD"),
                env.get("GATEWAY_CRYPTO_KEK_FILE"), env.get("GATEWAY_CRYPTO_KEK")).load();
    }

    private int newSm2(Map<String, String> o, PrintStream out) {
        known(o, "--out");
        String prefix = o.get("--out");
        if (prefix == null) {
            throw new IllegalArgumentException("keys new-sm2 needs --out <prefix>");
        }
        Path privateFile = Path.of(prefix + ".key.pem");
        Path publicFile = Path.of(prefix + ".pub.pem");
        if (Files.exists(publicFile)) {
            throw new CryptoException(publicFile + " exists already; a key file is never overwritten");
        }
        KeyPair pair = Sm2.generateKeyPair(random);
        KeyFiles.createOwnerOnly(privateFile, Sm2.privateKeyPem(pair.getPrivate()));
        try {
            Files.writeString(publicFile, Sm2.publicKeyPem(pair.getPublic()));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot write " + publicFile, e);
        }
        out.println("SM2 private key: " + privateFile + " (PKCS#8, 0600; set GATEWAY_CRYPTO_SM2_KEY to it)");
        out.println("SM2 public key:  " + publicFile + " (give it to the province and the departments that verify)");
        out.println("key id (SM3 of the public key's X.509 encoding, first 16 bytes): " + Sm2SigningKey.keyId(pair.getPublic()));
        return DONE;
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!name.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("expected --option value, got '" + name + "'");
            }
            options.put(name, args.get(++i));
        }
        return options;
    }

    private static void known(Map<String, String> options, String... names) {
        for (String name : options.keySet()) {
            if (!List.of(names).contains(name)) {
                throw new IllegalArgumentException("unknown option " + name);
            }
        }
    }
}
