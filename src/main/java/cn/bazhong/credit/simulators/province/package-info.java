/**
 * A stand-in for the provincial credit platform: the exchange API of
 * {@code shared/contracts/provincial-exchange.md} ({@code POST /exchange/v1/batches},
 * {@code GET /exchange/v1/list-updates}) served on the JDK's built-in HTTP server, with switchable
 * faults (failures, slowness, rejections, refused connections) and a small control API under
 * {@code /sim/} for tests and the local demo.
 *
 * <p>It is a separate system: nothing here imports the gateway, and the gateway never imports this.
 * Start it with {@link cn.bazhong.credit.simulators.province.ProvincialSimulator#start} from a test,
 * or run {@link cn.bazhong.credit.simulators.province.SimulatorMain} for a demo.
 */
package cn.bazhong.credit.simulators.province;
