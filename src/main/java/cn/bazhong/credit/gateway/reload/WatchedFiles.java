package cn.bazhong.credit.gateway.reload;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** One kind of file the live reload watches: which files are its own, and how changed ones are checked and applied. */
public interface WatchedFiles {

    /** The folders to watch (the files' parents). */
    Set<Path> folders();

    /** Whether {@code file} (absolute, normalised) is one of these files. */
    boolean covers(Path file);

    /** Records what is loaded at start-up in {@link LoadedFiles}. */
    void registerLoaded();

    /** Checks the changed files (some may be gone) and applies them if they are good; refuses them otherwise. */
    void reload(List<Path> changed);
}
