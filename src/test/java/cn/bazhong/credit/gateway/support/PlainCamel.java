package cn.bazhong.credit.gateway.support;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Supplier;

/**
 * A started Camel context without Spring, for the tests of the senders that take their context lazily
 * ({@code Supplier<CamelContext>}): {@code @RegisterExtension static final PlainCamel CAMEL = new PlainCamel();}
 * then pass {@code CAMEL} where the sender asks for its context. Stopped after the class's last test.
 */
public final class PlainCamel implements Supplier<CamelContext>, AfterAllCallback {

    private final DefaultCamelContext context = new DefaultCamelContext();

    public PlainCamel() {
        context.start();
    }

    @Override
    public CamelContext get() {
        return context;
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        context.stop();
    }
}
