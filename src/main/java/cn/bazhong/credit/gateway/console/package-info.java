/**
 * The operator console at {@code /console/} (docs/console.md): server-rendered pages (Thymeleaf, htmx as
 * a WebJar) over the same services as the REST API, behind its own gate ({@link
 * cn.bazhong.credit.gateway.console.ConsoleGuard}: server-side sessions, CSRF tokens, the table of pages
 * and roles in {@link cn.bazhong.credit.gateway.console.ConsoleAccess}); every action goes to the access log.
 */
package cn.bazhong.credit.gateway.console;
