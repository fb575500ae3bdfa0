package cn.bazhong.credit.gateway.reload;

import java.time.Instant;

/**
 * One file the gateway loaded, as the operators' list shows it.
 *
 * @param kind         mapping, routes, catalog or subscriptions
 * @param file         the file's path as configured
 * @param version      the version the file declares (mappings, catalog), or null
 * @param sha256       the first 16 hex digits of the SHA-256 of the active content, to compare nodes
 * @param loadedAt     when the active content was loaded (start-up or reload)
 * @param refused      the problem of the newest content, {@code file:line: problem}, while it is refused; else null
 * @param refusedAt    when that content was refused, or null
 */
public record LoadedFile(Kind kind, String file, String version, String sha256, Instant loadedAt,
                         String refused, Instant refusedAt) {

    public enum Kind { MAPPING, ROUTES, CATALOG, SUBSCRIPTIONS }

    LoadedFile loaded(String version, String sha256, Instant at) {
        return new LoadedFile(kind, file, version, sha256, at, null, null);
    }

    LoadedFile refused(String problem, Instant at) {
        return new LoadedFile(kind, file, version, sha256, loadedAt, problem, at);
    }
}
