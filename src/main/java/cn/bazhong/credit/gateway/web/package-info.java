/** The HTTP side of the gateway's own API: handlers the REST routes of {@code routes/} call. */
package cn.bazhong.credit.gateway.web;
