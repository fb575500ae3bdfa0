package cn.bazhong.credit.gateway.lists;

import cn.bazhong.credit.gateway.infra.KafkaClients;
import cn.bazhong.credit.gateway.schema.RecordJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fills an empty list view and the objections' index from the list-state topic, a poll at a time, in the
 * topic's order within each partition. The states of a poll are read from their JSON on a thread of their own
 * while the view takes the poll before, so that reading and writing overlap; at most two polls are held at once.
 * A subject met for the first time goes into the view whole, with the entries the poll has for it, all such
 * subjects of a poll in one call ({@link ListView#loadNew}: a million entry processors and their round trips were
 * most of the rebuild); the entries of a subject met before change it one by one ({@link ListView#loadAll}).
 */
final class ListViewRebuild {

    /**
     * One poll, read: the subjects met for the first time, whole; the entries of subjects met before; and the states
     * for the objections' index.
     */
    private record Poll(Map<String, SubjectEntries> fresh, List<ListView.Loaded> more, List<Map.Entry<String, EntryState>> states) {
    }

    private final ListView view;
    private final Objections.Refill objections;
    private Future<Poll> previous;
    /** The subjects met in the polls read so far (only the reading thread uses it). */
    private final java.util.Set<String> met = new java.util.HashSet<>();

    ListViewRebuild(ListView view, Objections objections) {
        this.view = view;
        this.objections = objections.refill();
    }

    void fillFrom(KafkaClients clients, String stateTopic) {
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "list-view-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            clients.readToEndInPolls(stateTopic, "list-view-loader", polled -> {
                Future<Poll> next = reader.submit(() -> read(polled));
                write(previous);
                previous = next;
            });
            write(previous);
        } finally {
            reader.shutdownNow();
        }
    }

    private void write(Future<Poll> poll) {
        if (poll == null) {
            return;
        }
        Poll p;
        try {
            p = poll.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rebuilding the list view", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        view.loadNew(p.fresh());
        view.loadAll(p.more());
        objections.trackAll(p.states());
    }

    private Poll read(List<ConsumerRecord<String, byte[]>> polled) {
        Map<String, SubjectEntries> fresh = new java.util.HashMap<>();
        List<ListView.Loaded> more = new ArrayList<>();
        List<Map.Entry<String, EntryState>> states = new ArrayList<>(polled.size());
        java.util.Set<String> metBefore = new java.util.HashSet<>();
        for (ConsumerRecord<String, byte[]> r : polled) {
            int bar = r.key().indexOf('|');
            String subjectKey = r.key().substring(0, bar);
            String recordId = r.key().substring(bar + 1);
            EntryState state = r.value() == null ? null : stateAt(r);
            if (state != null) {
                states.add(Map.entry(subjectKey, state));
            }
            if (!fresh.containsKey(subjectKey) && (metBefore.contains(subjectKey) || !met.add(subjectKey))) {
                metBefore.add(subjectKey);
                more.add(new ListView.Loaded(subjectKey, recordId, state));
                continue;
            }
            SubjectEntries whole = fresh.computeIfAbsent(subjectKey, k -> new SubjectEntries(k, null));
            if (state == null) {
                whole.remove(recordId);
            } else {
                whole.put(recordId, state);
            }
        }
        fresh.values().removeIf(java.util.HashMap::isEmpty);
        return new Poll(fresh, more, states);
    }

    private static EntryState stateAt(ConsumerRecord<String, byte[]> r) {
        try {
            return RecordJson.mapper().readValue(r.value(), EntryState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("list state at " + r.partition() + "/" + r.offset() + " cannot be read", e);
        }
    }
}
