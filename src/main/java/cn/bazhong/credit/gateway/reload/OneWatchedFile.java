package cn.bazhong.credit.gateway.reload;

import java.nio.file.Path;
import java.util.Set;

/** Watched files that are one file (the catalog, the subscriptions): its folder is watched, and only it counts. */
abstract class OneWatchedFile implements WatchedFiles {

    protected final Path file;

    OneWatchedFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    @Override
    public Set<Path> folders() {
        return Set.of(file.getParent());
    }

    @Override
    public boolean covers(Path f) {
        return file.equals(f);
    }
}
