/**
 * The catalog of joint incentive and punishment measures (联合激励惩戒目录清单): which measures each
 * list type triggers, with their legal basis and implementing units. No measure outside the catalog
 * is ever pushed to a department. Plain Java: loaded and checked from {@code config/catalog.yaml}.
 */
package cn.bazhong.credit.gateway.catalog;
