/**
 * The access log for personal data (docs/security.md, "Access log"): one entry per read of a natural
 * person's data and per operator action, written asynchronously to the topic {@code credit.audit} and
 * read back over a period for admins. Entries hold a person as the keyed hash and the masked ID number,
 * never the clear number.
 */
package cn.bazhong.credit.gateway.audit;
