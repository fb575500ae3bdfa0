/**
 * The Spring side of {@code cn.bazhong.credit.gateway.crypto}: binds {@code gateway.crypto.*} and builds
 * the cipher beans. The crypto package itself knows nothing of Spring.
 */
package cn.bazhong.credit.gateway.crypto.config;
