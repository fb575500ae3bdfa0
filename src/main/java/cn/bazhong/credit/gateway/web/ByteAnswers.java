package cn.bazhong.credit.gateway.web;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.io.IOException;

/**
 * Writes the API's answers, {@code ResponseEntity<byte[]>}, as they are: status, headers, bytes. The controllers
 * already made the bytes (JSON through {@link Answers}, or CSV) and named their content type, so Spring MVC's
 * content negotiation and message converters had nothing left to decide, yet they were about a seventh of a
 * check's request thread at 1,000 checks a second (docs/benchmarks.md). {@link WebConfiguration} puts it before
 * Spring's own handlers; every other return type (the console's views, springdoc's document) stays theirs.
 */
final class ByteAnswers implements HandlerMethodReturnValueHandler {

    @Override
    public boolean supportsReturnType(MethodParameter returnType) {
        return ResponseEntity.class.isAssignableFrom(returnType.getParameterType())
                && ResolvableType.forMethodParameter(returnType).getGeneric(0).resolve() == byte[].class;
    }

    @Override
    public void handleReturnValue(Object returnValue, MethodParameter returnType, ModelAndViewContainer container,
                                  NativeWebRequest request) throws IOException {
        container.setRequestHandled(true);
        if (!(returnValue instanceof ResponseEntity<?> answer)) {
            return;
        }
        HttpServletResponse response = request.getNativeResponse(HttpServletResponse.class);
        response.setStatus(answer.getStatusCode().value());
        answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        if (answer.getBody() instanceof byte[] bytes) {
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
