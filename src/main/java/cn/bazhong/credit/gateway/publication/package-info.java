/**
 * Publication to the city credit website (信用巴中): what may be published (双公示 penalties and licences
 * with personal data reduced, red and black list entries) and its withdrawals, delivered to the website
 * as signed messages with their own consumer group, retries, dead letters and replay (docs/publication.md).
 */
package cn.bazhong.credit.gateway.publication;
