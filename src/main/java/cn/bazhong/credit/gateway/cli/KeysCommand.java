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

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
import java.util.concurrent.Callable;

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
 * Exit codes: 0 done, 2 nothing done (the reason on stderr). The command line is picocli's ({@link GatewayCommands}).
 */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = GatewayCommands.Version.class,
        synopsisHeading = "usage: ", synopsisSubcommandLabel = "COMMAND", commandListHeading = "%nCommands:%n",
        description = {"The operators' key tools.", "Key material goes only to files created 0600, never to stdout."},
        footerHeading = "%n", footer = {
                "Secrets come from the environment, never the command line: GATEWAY_CRYPTO_KEYSTORE_PASSWORD, GATEWAY_CRYPTO_KEK (base64), "
                        + "GATEWAY_CRYPTO_KEK_FILE, GATEWAY_CRYPTO_KEYSTORE, GATEWAY_CRYPTO_KEK_ID, GATEWAY_CRYPTO_DATA_KEYS (default "
                        + "config/data-keys.json), GATEWAY_CRYPTO_ALGORITHM (default SM4-GCM).",
                "Exit codes: 0 done, 2 nothing done (the reason on stderr)."})
public final class KeysCommand implements Callable<Integer> {

    public static final int DONE = 0;
    public static final int UNUSABLE = 2;

    private static final String KEK_OPTIONS = "The KEK: --kek-file or --keystore, else as the gateway finds it (GATEWAY_CRYPTO_* variables).";

    private final Clock clock;
    private final Map<String, String> env;
    private final SecureRandom random;
    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;
    @Spec
    CommandSpec spec;

    public KeysCommand(Clock clock, Map<String, String> env, SecureRandom random) {
        this.clock = clock;
        this.env = env;
        this.random = random;
    }

    KeysCommand streams(PrintStream out, PrintStream err) {
        this.stdout = out;
        this.stderr = err;
        return this;
    }

    /** This command and its sub-commands as one command line. */
    CommandLine commandLine() {
        return new CommandLine(this);
    }

    /** Runs the command on {@code args} (without the leading "keys"). */
    public int run(List<String> args, PrintStream stdout, PrintStream stderr) {
        streams(stdout, stderr);
        return GatewayCommands.execute(commandLine(), args, stdout, stderr);
    }

    /** {@code keys} without a command: its usage, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().println("keys needs a command");
        return UNUSABLE;
    }

    @Command(name = "new-kek", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            description = {"A new 256-bit key-encryption key (KEK).",
                    "As base64 in a file (0600) or as a secret-key entry of a new PKCS#12 keystore "
                            + "(password from GATEWAY_CRYPTO_KEYSTORE_PASSWORD). Give one of --out and --keystore."})
    int newKek(@Option(names = "--out", paramLabel = "<file>", description = "the file to create") String out,
               @Option(names = "--keystore", paramLabel = "<file.p12>", description = "the keystore to create") String keystore,
               @Option(names = "--kek-id", paramLabel = "<id>", description = "the KEK's id (default GATEWAY_CRYPTO_KEK_ID or kek-1)") String kekId) {
        return guarded(() -> newKek(options("--out", out, "--keystore", keystore, "--kek-id", kekId), stdout));
    }

    @Command(name = "rotate-data-key", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            description = {"Adds a data key to the key ring, or makes a staged one current.",
                    "The new key becomes the key of new writes, or is only staged (--stage true); --activate <data key id> "
                            + "makes a key of the ring current. The ring file is created when missing. " + KEK_OPTIONS})
    int rotateDataKey(@Option(names = "--data-keys", paramLabel = "<file>", description = "the key ring (default GATEWAY_CRYPTO_DATA_KEYS or config/data-keys.json)") String dataKeys,
                      @Option(names = "--algorithm", paramLabel = "SM4-GCM|AES-256-GCM", description = "the new key's algorithm") String algorithm,
                      @Option(names = "--kek-id", paramLabel = "<id>") String kekId,
                      @Option(names = "--kek-file", paramLabel = "<file>") String kekFile,
                      @Option(names = "--keystore", paramLabel = "<file.p12>") String keystore,
                      @Option(names = "--stage", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
                              description = "add the key without making it current yet") String stage,
                      @Option(names = "--activate", paramLabel = "<data key id>", description = "make this key of the ring current") String activate) {
        return guarded(() -> rotateDataKey(options("--data-keys", dataKeys, "--algorithm", algorithm, "--kek-id", kekId, "--kek-file", kekFile,
                "--keystore", keystore, "--stage", stage, "--activate", activate), stdout));
    }

    @Command(name = "rotate-kek", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            description = {"Wraps every data key of the ring again with a new KEK (keys new-kek makes one).",
                    "Values need no rewriting.",
                    KEK_OPTIONS + " (the old KEK)"})
    int rotateKek(@Option(names = "--new-kek-id", paramLabel = "<id>", required = true) String newKekId,
                  @Option(names = "--new-kek-file", paramLabel = "<file>", required = true) String newKekFile,
                  @Option(names = "--data-keys", paramLabel = "<file>") String dataKeys,
                  @Option(names = "--kek-id", paramLabel = "<id>") String kekId,
                  @Option(names = "--kek-file", paramLabel = "<file>") String kekFile,
                  @Option(names = "--keystore", paramLabel = "<file.p12>") String keystore) {
        return guarded(() -> rotateKek(options("--new-kek-id", newKekId, "--new-kek-file", newKekFile, "--data-keys", dataKeys,
                "--kek-id", kekId, "--kek-file", kekFile, "--keystore", keystore), stdout));
    }

    @Command(name = "reencrypt", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            description = {"Brings the sealed values of the compacted topics under the current data key.",
                    "Run it with every node of the gateway stopped.",
                    KEK_OPTIONS})
    int reencrypt(@Option(names = "--bootstrap-servers", paramLabel = "<host:port>", description = "Kafka (default GATEWAY_KAFKA_BOOTSTRAP)") String bootstrap,
                  @Option(names = "--topics", paramLabel = "<t1,t2,…>", description = "default " + REENCRYPTED_TOPICS) String topics,
                  @Option(names = "--dry-run", paramLabel = "true|false", arity = "0..1", fallbackValue = "true", description = "count only") String dryRun,
                  @Option(names = "--data-keys", paramLabel = "<file>") String dataKeys,
                  @Option(names = "--kek-id", paramLabel = "<id>") String kekId,
                  @Option(names = "--kek-file", paramLabel = "<file>") String kekFile,
                  @Option(names = "--keystore", paramLabel = "<file.p12>") String keystore) {
        return guarded(() -> reencrypt(options("--bootstrap-servers", bootstrap, "--topics", topics, "--dry-run", dryRun, "--data-keys", dataKeys,
                "--kek-id", kekId, "--kek-file", kekFile, "--keystore", keystore), stdout));
    }

    @Command(name = "new-sm2", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            description = {"A new SM2 key pair.", "<prefix>.key.pem (PKCS#8, 0600) and <prefix>.pub.pem (X.509), and the public key's id."})
    int newSm2(@Option(names = "--out", paramLabel = "<prefix>", required = true) String out) {
        return guarded(() -> newSm2(options("--out", out), stdout));
    }

    /** Runs one command: a key problem or a file that cannot be written is "nothing done", exit 2. */
    private int guarded(java.util.function.IntSupplier command) {
        try {
            return command.getAsInt();
        } catch (CryptoException | UncheckedIOException e) {
            stderr.println("nothing done: " + e.getMessage());
            return UNUSABLE;
        }
    }

    /** The options given, by name (pairs of name and value; null values are left out). */
    private static Map<String, String> options(String... pairs) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                options.put(pairs[i], pairs[i + 1]);
            }
        }
        return options;
    }

    private int newKek(Map<String, String> o, PrintStream out) {
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
}
