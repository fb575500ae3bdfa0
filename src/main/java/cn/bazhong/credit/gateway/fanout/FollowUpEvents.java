package cn.bazhong.credit.gateway.fanout;

import cn.bazhong.credit.gateway.lists.ListChangeEvent;

import java.util.List;

/**
 * The events a department receives right after a list event, in the same partition order: for a listing the
 * initiation of the measures it applies (发起), for an exit the cancellation of that initiation. The joint
 * measures (package {@code measures}) provide them, with their side effects (the initiation opened or
 * cancelled); the fan-out only delivers them.
 */
@FunctionalInterface
public interface FollowUpEvents {

    /** No follow-ups: list events only. */
    FollowUpEvents NONE = (change, subscription) -> List.of();

    /** The follow-ups of {@code change} for the subscription's department, empty when there are none. */
    List<OutboundEvent> after(ListChangeEvent change, Subscription subscription);
}
