package cn.bazhong.credit.gateway.cli;

import cn.bazhong.credit.gateway.crypto.Aead;
import cn.bazhong.credit.gateway.crypto.EncryptedValue;
import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.crypto.KeyEncryptionKey;
import cn.bazhong.credit.gateway.crypto.KeyRing;
import cn.bazhong.credit.gateway.crypto.Sm2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The operators' key tools: {@code keys new-kek}, {@code keys rotate-data-key}, {@code keys new-sm2}. */
class KeysCommandTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-05T08:30:00Z"), ZoneOffset.UTC);

    record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run keys(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new KeysCommand(NOW, env, new SecureRandom()).run(List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void new_kek_then_two_rotations_give_a_ring_whose_current_key_is_the_second(@TempDir Path dir) throws Exception {
        Path kekFile = dir.resolve("kek.b64");
        Path ring = dir.resolve("data-keys.json");
        Map<String, String> env = Map.of("GATEWAY_CRYPTO_KEK_FILE", kekFile.toString(), "GATEWAY_CRYPTO_KEK_ID", "kek-2026");

        Run kek = keys(env, "new-kek", "--out", kekFile.toString());
        Run first = keys(env, "rotate-data-key", "--data-keys", ring.toString(), "--algorithm", "AES-256-GCM");
        Run second = keys(env, "rotate-data-key", "--data-keys", ring.toString());

        assertThat(kek.exitCode()).isZero();
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(permissions(kekFile)).isEqualTo("rw-------");
        assertThat(permissions(ring)).isEqualTo("rw-------");
        String kekText = Files.readString(kekFile).trim();
        assertThat(kek.stdout() + first.stdout() + second.stdout()).doesNotContain(kekText);
        assertThat(second.stdout()).contains("(SM4-GCM, wrapped by KEK kek-2026)").contains("(2 keys)");

        KeyRing loaded = KeyRing.load(ring, KeyEncryptionKey.fromFile("kek-2026", kekFile));
        assertThat(loaded.keys()).extracting(k -> k.algorithm()).containsExactly(Aead.AES_256_GCM, Aead.SM4_GCM);
        assertThat(second.stdout()).contains(loaded.current().id());
        String value = new FieldCipher(loaded).encrypt("subject.idNumber", "511902198001014381");
        assertThat(EncryptedValue.parse(value).dataKeyId()).isEqualTo(loaded.current().id());
    }

    @Test
    void rotate_kek_wraps_the_ring_again_and_values_written_before_still_open(@TempDir Path dir) throws Exception {
        Path oldKek = dir.resolve("kek-old.b64");
        Path newKek = dir.resolve("kek-new.b64");
        Path ring = dir.resolve("data-keys.json");
        Map<String, String> env = Map.of("GATEWAY_CRYPTO_KEK_FILE", oldKek.toString(), "GATEWAY_CRYPTO_KEK_ID", "kek-2026");
        assertThat(keys(env, "new-kek", "--out", oldKek.toString()).exitCode()).isZero();
        assertThat(keys(env, "rotate-data-key", "--data-keys", ring.toString()).exitCode()).isZero();
        FieldCipher before = new FieldCipher(KeyRing.load(ring, KeyEncryptionKey.fromFile("kek-2026", oldKek)));
        String value = before.encrypt("person.idNumber", "511902198001014381");
        assertThat(keys(env, "new-kek", "--out", newKek.toString(), "--kek-id", "kek-2027").exitCode()).isZero();

        Run rotated = keys(env, "rotate-kek", "--data-keys", ring.toString(), "--new-kek-id", "kek-2027", "--new-kek-file", newKek.toString());

        assertThat(rotated.exitCode()).as(rotated.stderr()).isZero();
        assertThat(rotated.stdout()).contains("now wrapped by KEK kek-2027 (was kek-2026)");
        assertThat(permissions(ring)).isEqualTo("rw-------");
        KeyRing after = KeyRing.load(ring, KeyEncryptionKey.fromFile("kek-2027", newKek));
        assertThat(after.current().id()).isEqualTo(before.ring().current().id());
        assertThat(new FieldCipher(after).decrypt("person.idNumber", value)).isEqualTo("511902198001014381");
        // the old KEK opens the ring no more, and the same id twice is refused
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> KeyRing.load(ring, KeyEncryptionKey.fromFile("kek-2026", oldKek))))
                .isInstanceOf(cn.bazhong.credit.gateway.crypto.CryptoException.class);
        Map<String, String> newEnv = Map.of("GATEWAY_CRYPTO_KEK_FILE", newKek.toString(), "GATEWAY_CRYPTO_KEK_ID", "kek-2027");
        assertThat(keys(newEnv, "rotate-kek", "--data-keys", ring.toString(), "--new-kek-id", "kek-2027", "--new-kek-file",
                newKek.toString()).exitCode()).isEqualTo(KeysCommand.UNUSABLE);
    }

    @Test
    void a_staged_data_key_is_readable_before_it_is_activated_for_new_writes(@TempDir Path dir) throws Exception {
        Path kekFile = dir.resolve("kek.b64");
        Path ring = dir.resolve("data-keys.json");
        Map<String, String> env = Map.of("GATEWAY_CRYPTO_KEK_FILE", kekFile.toString());
        keys(env, "new-kek", "--out", kekFile.toString());
        keys(env, "rotate-data-key", "--data-keys", ring.toString());
        KeyEncryptionKey kek = KeyEncryptionKey.fromFile("kek-1", kekFile);
        String first = KeyRing.load(ring, kek).current().id();

        Run staged = keys(env, "rotate-data-key", "--data-keys", ring.toString(), "--stage", "true");

        assertThat(staged.exitCode()).as(staged.stderr()).isZero();
        KeyRing afterStage = KeyRing.load(ring, kek);
        assertThat(afterStage.current().id()).isEqualTo(first);
        assertThat(afterStage.keys()).hasSize(2);
        String next = afterStage.keys().get(1).id();
        assertThat(staged.stdout()).contains("staged").contains("--activate " + next);

        Run activated = keys(env, "rotate-data-key", "--data-keys", ring.toString(), "--activate", next);

        assertThat(activated.exitCode()).as(activated.stderr()).isZero();
        assertThat(KeyRing.load(ring, kek).current().id()).isEqualTo(next);
        Run unknown = keys(env, "rotate-data-key", "--data-keys", ring.toString(), "--activate", "dk-none");
        assertThat(unknown.exitCode()).isEqualTo(KeysCommand.UNUSABLE);
        assertThat(unknown.stderr()).contains("holds no data key dk-none");
        assertThat(KeyRing.load(ring, kek).current().id()).isEqualTo(next);
    }

    @Test
    void rotate_data_key_reads_the_kek_from_a_keystore_with_the_password_from_the_environment(@TempDir Path dir) {
        Path keystore = dir.resolve("gateway.p12");
        Path ring = dir.resolve("data-keys.json");
        Map<String, String> env = Map.of("GATEWAY_CRYPTO_KEYSTORE_PASSWORD", "keystore-secret-1");

        assertThat(keys(env, "new-kek", "--keystore", keystore.toString()).exitCode()).isZero();
        Run rotate = keys(env, "rotate-data-key", "--data-keys", ring.toString(), "--keystore", keystore.toString());

        assertThat(rotate.exitCode()).as(rotate.stderr()).isZero();
        assertThat(KeyRing.load(ring, KeyEncryptionKey.fromPkcs12("kek-1", keystore, "keystore-secret-1".toCharArray())).keys()).hasSize(1);
        Run wrongPassword = keys(Map.of("GATEWAY_CRYPTO_KEYSTORE_PASSWORD", "another-password"),
                "rotate-data-key", "--data-keys", ring.toString(), "--keystore", keystore.toString());
        assertThat(wrongPassword.exitCode()).isEqualTo(KeysCommand.UNUSABLE);
        assertThat(wrongPassword.stderr()).startsWith("nothing done:");
    }

    @Test
    void rotate_data_key_refuses_a_world_readable_kek_file_and_a_missing_kek(@TempDir Path dir) throws Exception {
        Path kekFile = dir.resolve("kek.b64");
        Path ring = dir.resolve("data-keys.json");
        assertThat(keys(Map.of(), "new-kek", "--out", kekFile.toString()).exitCode()).isZero();
        Files.setPosixFilePermissions(kekFile, PosixFilePermissions.fromString("rw-r--r--"));

        Run readable = keys(Map.of(), "rotate-data-key", "--data-keys", ring.toString(), "--kek-file", kekFile.toString());
        Run missing = keys(Map.of(), "rotate-data-key", "--data-keys", ring.toString());

        assertThat(readable.exitCode()).isEqualTo(KeysCommand.UNUSABLE);
        assertThat(readable.stderr()).contains("chmod 600");
        assertThat(missing.exitCode()).isEqualTo(KeysCommand.UNUSABLE);
        assertThat(missing.stderr()).contains("no source for KEK kek-1");
        assertThat(ring).doesNotExist();
    }

    @Test
    void new_sm2_writes_a_private_key_only_its_owner_reads_and_a_public_key_that_verifies_its_signatures(@TempDir Path dir) throws Exception {
        String prefix = dir.resolve("gateway-sm2").toString();

        Run run = keys(Map.of(), "new-sm2", "--out", prefix);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Path privateFile = Path.of(prefix + ".key.pem");
        Path publicFile = Path.of(prefix + ".pub.pem");
        assertThat(permissions(privateFile)).isEqualTo("rw-------");
        PrivateKey privateKey = Sm2.readPrivateKey(privateFile);
        PublicKey publicKey = Sm2.readPublicKey(Files.readAllBytes(publicFile));
        byte[] body = "{\"batchId\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(Sm2.verify(publicKey, body, Sm2.sign(privateKey, body))).isTrue();
        assertThat(run.stdout()).contains("key id").doesNotContain("PRIVATE KEY");
        assertThat(run.stdout()).containsPattern("[0-9a-f]{32}");

        Run again = keys(Map.of(), "new-sm2", "--out", prefix);
        assertThat(again.exitCode()).isEqualTo(KeysCommand.UNUSABLE);
        assertThat(again.stderr()).contains("exists already");
        assertThat(Sm2.readPrivateKey(privateFile).getEncoded()).isEqualTo(privateKey.getEncoded());
    }

    @Test
    void unknown_commands_and_options_exit_2_with_the_usage() {
        assertThat(keys(Map.of(), "rotate").stderr()).contains("unknown command").contains("usage: keys");
        assertThat(keys(Map.of(), "new-sm2", "--out").exitCode()).isEqualTo(KeysCommand.UNUSABLE);
        assertThat(keys(Map.of(), "new-kek", "--out", "x", "--password", "y").stderr()).contains("unknown option --password");
        assertThat(keys(Map.of()).exitCode()).isEqualTo(KeysCommand.UNUSABLE);
    }

    @Test
    void the_jar_runs_keys_commands_without_starting_the_gateway(@TempDir Path dir) throws Exception {
        Path kekFile = dir.resolve("kek.b64");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                Path.of("target/classes").toAbsolutePath() + ":" + Files.readString(Path.of("target/runtime-classpath.txt")).strip(),
                "cn.bazhong.credit.gateway.GatewayApplication", "keys", "new-kek", "--out", kekFile.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        Map<String, String> env = new HashMap<>(builder.environment());
        env.keySet().removeIf(k -> k.startsWith("GATEWAY_"));
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("GATEWAY_CRYPTO_KEK_ID", "kek-forked");

        Process process = builder.start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).contains("KEK kek-forked written to").doesNotContain("Spring");
        assertThat(permissions(kekFile)).isEqualTo("rw-------");
        assertThat(KeyEncryptionKey.fromFile("kek-forked", kekFile).id()).isEqualTo("kek-forked");
    }
}
