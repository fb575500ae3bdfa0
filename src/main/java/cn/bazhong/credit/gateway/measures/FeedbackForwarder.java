package cn.bazhong.credit.gateway.measures;

/**
 * Passes a unit's execution feedback on to the province (dataset {@code MEASURE_FEEDBACK},
 * provincial-exchange.md). Returns once the feedback is durably queued for delivery; the upstream
 * sender delivers it with the same retries, dead letters and replay as every other record.
 */
public interface FeedbackForwarder {

    void forward(Initiation initiation, Initiation.Feedback feedback);
}
