package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.schema.RecordJson;
import cn.bazhong.credit.gateway.security.Authenticator;
import cn.bazhong.credit.gateway.security.Caller;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** What every API handler does with an exchange: find the caller, read path parameters, answer JSON. */
final class ApiExchanges {

    private ApiExchanges() {
    }

    /** The authenticated caller, or 401. */
    static Caller caller(Authenticator authenticator, Message in) {
        return authenticator.authenticate(in.getHeader("Authorization", String.class))
                .orElseThrow(() -> new HttpProblem(401, "missing or unknown credentials: send Authorization: Bearer <your key>"));
    }

    /** A path parameter, percent-decoded (record ids hold ':' and Chinese characters; '+' stays '+'). */
    static String pathParam(Message in, String name) {
        String raw = in.getHeader(name, String.class);
        return raw == null ? "" : URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Answers {@code body} as JSON with {@code status}, dropping the request's headers. */
    static void respond(Exchange exchange, int status, Object body) {
        try {
            Message out = exchange.getMessage();
            out.removeHeaders("*");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            out.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
            out.setBody(RecordJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer could not be written as JSON", e);
        }
    }
}
