package cn.bazhong.credit.simulators.province;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer: status, extra headers and a JSON body, computed first and sent later (maybe delayed). */
record Answer(int status, Map<String, String> headers, byte[] body) {

    Answer {
        headers = Map.copyOf(headers);
    }

    static Answer json(int status, Object body) {
        return new Answer(status, Map.of(), Json.write(body));
    }

    /** Sends the exact bytes of an earlier answer again. */
    static Answer raw(int status, byte[] body) {
        return new Answer(status, Map.of(), body);
    }

    /** {@code {"error": message}}. */
    static Answer error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    Answer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Answer(status, more, body);
    }

    /** Writes the answer and closes the exchange. */
    void send(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
