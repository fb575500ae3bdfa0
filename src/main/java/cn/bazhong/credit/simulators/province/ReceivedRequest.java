package cn.bazhong.credit.simulators.province;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code POST /exchange/v1/batches} as it arrived with a valid token: its headers (without
 * {@code Authorization}) and its exact body bytes, so that a test can check what the gateway signed.
 *
 * @param headers header name (lower case) → first value
 * @param body    the body as received
 * @param at      when it arrived
 */
public record ReceivedRequest(Map<String, String> headers, byte[] body, Instant at) {

    public ReceivedRequest {
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        body = body.clone();
        Objects.requireNonNull(at, "at");
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
