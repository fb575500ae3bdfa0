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
 * while the view takes the poll before ({@link ListView#loadAll}, the writes in flight together), so that
 * reading and writing overlap; at most two polls are held at once.
 */
final class ListViewRebuild {

    /** One poll, read: the entries for the view, and the states for the objections' index. */
    private record Poll(List<ListView.Loaded> loaded, List<Map.Entry<String, EntryState>> states) {
    }

    private final ListView view;
    private final Objections.Refill objections;
    private final SubjectsMet met = new SubjectsMet();
    private Future<Poll> previous;

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
                view.filling().read(polled.size());
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
        view.loadAll(p.loaded(), met);
        objections.trackAll(p.states());
    }

    private static Poll read(List<ConsumerRecord<String, byte[]>> polled) {
        List<ListView.Loaded> loaded = new ArrayList<>(polled.size());
        List<Map.Entry<String, EntryState>> states = new ArrayList<>(polled.size());
        for (ConsumerRecord<String, byte[]> r : polled) {
            int bar = r.key().indexOf('|');
            String subjectKey = r.key().substring(0, bar);
            String recordId = r.key().substring(bar + 1);
            EntryState state = r.value() == null ? null : stateAt(r);
            loaded.add(new ListView.Loaded(subjectKey, recordId, state));
            if (state != null) {
                states.add(Map.entry(subjectKey, state));
            }
        }
        return new Poll(loaded, states);
    }

    private static EntryState stateAt(ConsumerRecord<String, byte[]> r) {
        try {
            return RecordJson.mapper().readValue(r.value(), EntryState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("list state at " + r.partition() + "/" + r.offset() + " cannot be read", e);
        }
    }
}
