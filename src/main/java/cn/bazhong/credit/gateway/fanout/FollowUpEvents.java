package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.lists.ListChangeEvent;

import java.util.List;
import java.util.Set;

/**
 * The events a department receives right after a list event, in the same partition order: for a listing the
 * initiation of the measures it applies (发起), for an exit the cancellation of that initiation. The joint
 * measures (package {@code measures}) provide them, with their side effects (the initiation opened or
 * cancelled); the fan-out only delivers them.
 */
public interface FollowUpEvents {

    /** No follow-ups: list events only. */
    FollowUpEvents NONE = new FollowUpEvents() {
        @Override
        public List<OutboundEvent> after(ListChangeEvent change, Subscription subscription) {
            return List.of();
        }

        @Override
        public Set<String> idsAfter(Set<String> listings, Set<String> exits, Set<String> departments) {
            return Set.of();
        }
    };

    /** The follow-ups of {@code change} for the subscription's department, empty when there are none. */
    List<OutboundEvent> after(ListChangeEvent change, Subscription subscription);

    /** The same, built with {@code events} (pinned to the catalog version the change's own event was built with). */
    default List<OutboundEvent> after(ListChangeEvent change, Subscription subscription, DepartmentEvents events) {
        return after(change, subscription);
    }

    /**
     * The ids the follow-ups of these list events have, or would have, at these departments (to find their
     * deliveries): without side effects.
     *
     * @param listings the ids of listing events
     * @param exits    the ids of exit events of the same listings
     */
    Set<String> idsAfter(Set<String> listings, Set<String> exits, Set<String> departments);
}
