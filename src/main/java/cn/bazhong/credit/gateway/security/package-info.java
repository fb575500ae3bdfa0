/** Who is calling: departments and operators authenticated by API keys kept only as hashes. */
package cn.bazhong.credit.gateway.security;
