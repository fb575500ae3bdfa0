package cn.bazhong.credit.gateway.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold key material: written readable and writable by their owner only (0600), and read
 * only when nobody else can read or change them (no permission for others, no write for the group).
 * On a file system without POSIX permissions (Windows) the check is left to the operating system's ACLs.
 */
public final class KeyFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {
    }

    /**
     * Writes a new key file, 0600 from its first byte.
     *
     * @throws CryptoException when the file exists already (a key is never overwritten by mistake)
     */
    public static void createOwnerOnly(Path file, byte[] content) {
        try {
            Files.write(Files.createFile(file, ownerOnly(file)), content);
        } catch (FileAlreadyExistsException e) {
            throw new CryptoException(file + " exists already; a key file is never overwritten");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void createOwnerOnly(Path file, String content) {
        createOwnerOnly(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} (or creates it) atomically with a 0600 file holding {@code content}. */
    public static void replaceOwnerOnly(Path file, byte[] content) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly(file));
            try {
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads a key file after checking that nobody but its owner (and its group, read-only) can use it.
     *
     * @throws CryptoException when the file is missing, readable or writable by others, or writable by its group
     */
    public static byte[] readProtected(Path file) {
        checkProtected(file);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** {@link #readProtected(Path)} as trimmed UTF-8 text. */
    public static String readProtectedText(Path file) {
        return new String(readProtected(file), StandardCharsets.UTF_8).trim();
    }

    /** The check of {@link #readProtected(Path)} alone. */
    public static void checkProtected(Path file) {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix == null) {
            if (!Files.isRegularFile(file)) {
                throw new CryptoException("key file " + file + " does not exist");
            }
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = posix.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            throw new CryptoException("key file " + file + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + file, e);
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_EXECUTE) || permissions.contains(PosixFilePermission.GROUP_WRITE)) {
            throw new CryptoException("key file " + file + " is " + PosixFilePermissions.toString(permissions)
                    + ": others can read or change it; make it readable by its owner only (chmod 600) and rotate the key it holds");
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        return posix ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }
}
