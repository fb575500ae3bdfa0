/** Reading the integrator-edited YAML files (mappings, catalog, subscriptions) with precise error locations. */
package cn.bazhong.credit.gateway.yaml;
