package cn.bazhong.credit.gateway.web;

import cn.bazhong.credit.gateway.ingest.BodyTooLargeException;
import cn.bazhong.credit.gateway.security.Caller;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

/**
 * The request as controllers see it once {@link ApiAccessFilter} let it through: its body stops with a
 * {@link BodyTooLargeException} as soon as more than {@code limit} bytes were read, whatever
 * Content-Length said and also when the body is chunked; a connection that breaks while the body is read
 * surfaces as {@link RequestBodyBroken}; an operator is the request's principal in the role of their kind
 * (so that Spring Boot's {@code show-details: when-authorized} can tell them apart).
 */
final class GuardedRequest extends HttpServletRequestWrapper {

    private final long limit;
    private final Caller caller;
    private ServletInputStream body;

    GuardedRequest(HttpServletRequest request, long limit, Caller caller) {
        super(request);
        this.limit = limit;
        this.caller = caller;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (body == null) {
            body = new Limited(super.getInputStream(), limit);
        }
        return body;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public Principal getUserPrincipal() {
        return caller != null && caller.isOperator() ? caller::name : null;
    }

    @Override
    public String getRemoteUser() {
        Principal p = getUserPrincipal();
        return p == null ? null : p.getName();
    }

    @Override
    public boolean isUserInRole(String role) {
        return caller != null && caller.kind().word().equalsIgnoreCase(role);
    }

    private static final class Limited extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        Limited(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = in.read();
            } catch (IOException e) {
                throw new RequestBodyBroken(e);
            }
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(buf, off, len);
            } catch (IOException e) {
                throw new RequestBodyBroken(e);
            }
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
