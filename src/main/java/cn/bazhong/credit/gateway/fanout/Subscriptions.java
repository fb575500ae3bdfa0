package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.catalog.Catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The loaded, checked subscriptions, tied to the catalog they were checked against. Immutable. */
public record Subscriptions(Catalog catalog, Map<String, Subscription> byDepartment) {

    public Optional<Subscription> of(String department) {
        return Optional.ofNullable(byDepartment.get(department));
    }

    /** The subscriptions that deliver (enabled: true), in file order. */
    public List<Subscription> enabled() {
        return byDepartment.values().stream().filter(Subscription::enabled).toList();
    }

    /**
     * The list types whose changes this department receives: those triggering a catalog measure it
     * implements. Decided by the catalog, never by the subscription file.
     */
    public Set<String> watchedListTypes(String department) {
        return catalog.listTypesWatchedBy(department);
    }
}
