/**
 * The gateway's own HTTP API: Spring MVC controllers behind {@link cn.bazhong.credit.gateway.web.ApiAccessFilter},
 * which authenticates and authorizes every request ({@link cn.bazhong.credit.gateway.web.AccessPolicy}) before its
 * body is read, and one error renderer ({@link cn.bazhong.credit.gateway.web.ProblemResponses}). docs/api.md.
 */
package cn.bazhong.credit.gateway.web;
