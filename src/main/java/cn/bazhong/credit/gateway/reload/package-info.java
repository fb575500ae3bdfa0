/**
 * Live reload of the files integrators edit: {@code mappings/}, {@code routes/}, the catalog and the
 * subscriptions. A changed file is checked with the loader that checks it at start-up; a good one is
 * applied on this node (mappings swapped atomically, routes through Camel), a bad one is refused with its
 * {@code file:line: problem} while the previous version stays active, counted in
 * {@code gateway_reload_refused_files} and shown by the {@code reload} health component. Each node watches
 * its own copy of the files (docs/architecture.md, "Live reload").
 */
package cn.bazhong.credit.gateway.reload;
