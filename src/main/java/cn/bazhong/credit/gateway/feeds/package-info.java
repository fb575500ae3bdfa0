/** The gateway's side of the department feeds: which mappings are loaded, and (later) the ingress adapters. */
package cn.bazhong.credit.gateway.feeds;
