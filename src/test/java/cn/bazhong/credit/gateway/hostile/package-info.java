/**
 * The gateway tried as a hostile client and as a department having a bad day would try it: every finding of
 * the "trust at the edges" review as a test against a real gateway (real broker, real HTTP, real SFTP).
 *
 * <ol>
 *   <li>a truncated or partly rejected court snapshot exits nobody, a snapshot that would exit more than the
 *       guard is held for an operator: {@link cn.bazhong.credit.gateway.hostile.CourtSnapshotTrustTest}
 *       (and the property test {@code ingest.SnapshotReconciliationTest});</li>
 *   <li>same-day exit/return cycles and the tax bureau's withdraw/re-list each give a new version:
 *       {@code CourtSnapshotTrustTest}, {@link cn.bazhong.credit.gateway.hostile.TaxListRelistingTest};</li>
 *   <li>a gigabyte without a key is 401 at once, with a key 413, the heap stays flat (forked 384 MB JVM):
 *       {@link cn.bazhong.credit.gateway.hostile.HugeBodiesTest};</li>
 *   <li>a refused push delivers nothing: {@link cn.bazhong.credit.gateway.hostile.RestPushesAreAllOrNothingTest};</li>
 *   <li>readers consume their input to the end: {@code mapping.ReadToTheEndTest}, {@code mapping.UnusableInputTest} and
 *       the property test {@code mapping.ReaderRobustnessPropertiesTest} (in {@code mapping}: they use its fixtures);</li>
 *   <li>roles: {@link cn.bazhong.credit.gateway.hostile.AccessTableTest} calls every endpoint as every kind of caller;</li>
 *   <li>no full ID number in receipts, problems, traces or logs; no body and no forged line in the log:
 *       {@link cn.bazhong.credit.gateway.hostile.ReceiptMessagesTest}, {@link cn.bazhong.credit.gateway.hostile.HostileRequestsTest},
 *       {@code infra.LogTextTest}, {@code infra.TraceBoundsTest};</li>
 *   <li>caller mistakes are 4xx problems, never "retry": {@code HostileRequestsTest};</li>
 *   <li>Idempotency-Key bound to the body and durable: {@code RestPushesAreAllOrNothingTest},
 *       {@code ingest.IdempotencyKeysAcrossRestartsTest};</li>
 *   <li>health shows strangers its status only, failed logins are logged and counted: {@code HostileRequestsTest};</li>
 *   <li>CSV formula cells and control characters: {@link cn.bazhong.credit.gateway.hostile.SupervisionCsvTest},
 *       {@code mapping.UnsafeValuesTest}; development defaults refused in production:
 *       {@code production.ProductionProfileRefusesDefaultsTest}.</li>
 * </ol>
 */
package cn.bazhong.credit.gateway.hostile;
