package cn.bazhong.credit.gateway.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test that starts gateways in JVMs of their own and measures how they recover (kills, lease hand-overs,
 * a whole file re-read): it runs after the rest of the suite, with the machine to itself, instead of beside
 * another test JVM (the surefire execution {@code alone} in pom.xml).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("alone")
public @interface RunsAlone {
}
