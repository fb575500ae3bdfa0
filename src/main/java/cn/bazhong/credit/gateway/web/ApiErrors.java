package cn.bazhong.credit.gateway.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every failure of an API controller, answered as problem+json by {@link ProblemResponses}: one error
 * renderer for the whole API (the filter in front uses the same one).
 */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
public class ApiErrors {

    @ExceptionHandler(Exception.class)
    public ResponseEntity<byte[]> failed(Exception failure, HttpServletRequest request) {
        String instance = request.getRequestURI();
        return ProblemResponses.entity(ProblemResponses.problemOf(failure), instance.length() > 200 ? instance.substring(0, 200) : instance);
    }
}
