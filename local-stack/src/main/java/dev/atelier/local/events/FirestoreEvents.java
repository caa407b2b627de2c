package dev.atelier.local.events;

import com.google.events.cloud.firestore.v1.DocumentEventData;
import com.google.events.cloud.firestore.v1.DocumentMask;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.Value;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.atelier.local.manifest.FirestoreEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Turns a {@link DocumentChange} into the event Eventarc would emit for it, if any. */
public final class FirestoreEvents {

    private static final Pattern SIMPLE_FIELD = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

    private FirestoreEvents() {}

    /** CREATED, UPDATED or DELETED; empty for a write that changed nothing (which fires no event). */
    public static Optional<FirestoreEventType> kind(DocumentChange change) {
        if (change.before().isEmpty() && change.after().isEmpty()) {
            return Optional.empty();
        }
        if (change.before().isEmpty()) {
            return Optional.of(FirestoreEventType.CREATED);
        }
        if (change.after().isEmpty()) {
            return Optional.of(FirestoreEventType.DELETED);
        }
        return change.before().get().getFieldsMap().equals(change.after().get().getFieldsMap())
                ? Optional.empty()
                : Optional.of(FirestoreEventType.UPDATED);
    }

    /** The protobuf payload: value on create/update, old_value on update/delete, update_mask on update. */
    public static DocumentEventData data(DocumentChange change) {
        DocumentEventData.Builder data = DocumentEventData.newBuilder();
        change.after().ifPresent(doc -> data.setValue(convert(doc)));
        change.before().ifPresent(doc -> data.setOldValue(convert(doc)));
        if (change.before().isPresent() && change.after().isPresent()) {
            data.setUpdateMask(DocumentMask.newBuilder().addAllFieldPaths(
                    changedFields(change.before().get().getFieldsMap(), change.after().get().getFieldsMap())));
        }
        return data.build();
    }

    /**
     * The event types' Document has the same field numbers and wire types as firestore.v1.Document, so the
     * bytes convert losslessly.
     */
    static com.google.events.cloud.firestore.v1.Document convert(Document doc) {
        try {
            return com.google.events.cloud.firestore.v1.Document.parseFrom(doc.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Document wire formats diverged", e);
        }
    }

    /** Field paths whose value differs, descending into maps present on both sides. */
    static List<String> changedFields(Map<String, Value> before, Map<String, Value> after) {
        List<String> paths = new ArrayList<>();
        collect("", before, after, paths);
        return paths;
    }

    private static void collect(String prefix, Map<String, Value> before, Map<String, Value> after, List<String> out) {
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            Value old = before.get(name);
            Value now = after.get(name);
            if (old != null && old.equals(now)) {
                continue;
            }
            String path = prefix + quote(name);
            if (old != null && now != null && old.hasMapValue() && now.hasMapValue()) {
                collect(path + ".", old.getMapValue().getFieldsMap(), now.getMapValue().getFieldsMap(), out);
            } else {
                out.add(path);
            }
        }
    }

    private static String quote(String field) {
        return SIMPLE_FIELD.matcher(field).matches()
                ? field
                : "`" + field.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }
}
