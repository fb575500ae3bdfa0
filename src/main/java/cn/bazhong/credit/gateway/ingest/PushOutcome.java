package cn.bazhong.credit.gateway.ingest;

/** What became of a REST push: its records were taken now, or it repeats a push already taken. */
public sealed interface PushOutcome {

    Receipt receipt();

    /** The records were taken in one Kafka transaction, committed with this receipt. */
    record Ingested(Receipt receipt) implements PushOutcome {
    }

    /** The same Idempotency-Key with the same body as an earlier push: that push's receipt, nothing taken again. */
    record Repeated(Receipt receipt) implements PushOutcome {
    }
}
