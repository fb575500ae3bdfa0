/**
 * Simulated outside systems for the local demo and the tests: the provincial platform and the
 * departments (an SFTP server holding their files, REST pushes, the tax bureau's topic). Nothing in
 * {@code cn.bazhong.credit.gateway} imports this package; it is switched on only by
 * {@code simulators.enabled=true} (the {@code local} profile of {@code ./mvnw spring-boot:run}).
 */
package cn.bazhong.credit.simulators;
