/**
 * Cryptography of the gateway, plain Java over BouncyCastle's own classes (no JVM-wide provider, no
 * Spring, Camel, Kafka or HTTP): the national algorithms SM3 (GB/T 32905), SM4 (GB/T 32907) and SM2
 * signatures (GB/T 32918) beside SHA-256 and AES-256-GCM, the envelope encryption of personal fields
 * ({@link cn.bazhong.credit.gateway.crypto.FieldCipher} under a {@link cn.bazhong.credit.gateway.crypto.KeyRing}
 * of data keys wrapped by a {@link cn.bazhong.credit.gateway.crypto.KeyEncryptionKey}), the keyed hash of a
 * person ({@link cn.bazhong.credit.gateway.crypto.KeyedHash}) and key files readable by their owner only
 * ({@link cn.bazhong.credit.gateway.crypto.KeyFiles}). See docs/security.md.
 */
package cn.bazhong.credit.gateway.crypto;
