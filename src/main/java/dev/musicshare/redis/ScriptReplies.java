package dev.musicshare.redis;

import dev.musicshare.store.SessionRecord;
import dev.musicshare.store.StopResult;
import dev.musicshare.store.TimelinePlacement;
import dev.musicshare.store.WriteOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scripts' replies, decoded once from Lettuce's positional lists into records, so no other class reads a reply
 * by index. Each decoder follows the reply shape written at the top of its script ({@code resources/redis}).
 */
final class ScriptReplies {
    private ScriptReplies() {}

    /**
     * A chunk a script names: its sequence number, its generation (the session's write counter when it was stored)
     * and its JSON, which is empty when Redis left it out because the caller holds that generation already.
     */
    record ChunkRef(long sequence, long generation, byte[] json) {
        boolean leftOut() {
            return json.length == 0;
        }
    }

    /** What a script listed of a session's chunks, with the session's epoch (which life of the id they belong to). */
    interface ChunkListing {
        String epoch();

        List<ChunkRef> chunks();
    }

    /**
     * {@code audio.lua}'s reply to an append or a release.
     *
     * @param buffered   false when an appended chunk came after its place in the stream was passed
     * @param holdUntil  when held-back chunks are due (epoch ms), 0 when none are held
     * @param generation the appended chunk's generation, 0 when it was not buffered (or for a release)
     * @param released   the chunks now released, in order; the appended one's JSON left out
     */
    record AudioWrite(WriteOutcome outcome, boolean buffered, long holdUntil, String epoch, long generation,
            List<ChunkRef> released) implements ChunkListing {
        @Override
        public List<ChunkRef> chunks() {
            return released;
        }
    }

    /** {@code read-audio.lua}'s reply: released chunks after the {@code since} asked for. */
    record AudioRead(String epoch, List<ChunkRef> chunks) implements ChunkListing {}

    /** {@code catchup.lua}'s reply: a push listener's state, metadata and chunks, read together. */
    record CatchUp(boolean active, long released, String epoch, Map<String, String> metadata, List<ChunkRef> chunks)
            implements ChunkListing {}

    /** {@code audio.lua}: {outcome} when refused, else {outcome, buffered, holdUntil, epoch, generation, {chunks}}. */
    static AudioWrite audioWrite(List<Object> reply) {
        WriteOutcome outcome = WriteOutcome.valueOf(text(reply.get(0)));
        if (outcome != WriteOutcome.WRITTEN) return new AudioWrite(outcome, false, 0, "", 0, List.of());
        return new AudioWrite(outcome, number(reply.get(1)) == 1, number(reply.get(2)), text(reply.get(3)),
                number(reply.get(4)), chunks(reply.get(5)));
    }

    /** {@code read-audio.lua}: {} when no session holds the id, else {epoch, {chunks}}. */
    static Optional<AudioRead> audioRead(List<Object> reply) {
        if (reply.isEmpty()) return Optional.empty();
        return Optional.of(new AudioRead(text(reply.get(0)), chunks(reply.get(1))));
    }

    /** {@code read-metadata.lua}: {} when no session holds the id, else {{field, value, ...}}. */
    static Optional<Map<String, String>> metadataRead(List<Object> reply) {
        if (reply.isEmpty()) return Optional.empty();
        return Optional.of(pairs(reply.get(0)));
    }

    /** {@code catchup.lua}: {} when no session holds the id, else {active, released, epoch, {metadata}, {chunks}}. */
    static Optional<CatchUp> catchUp(List<Object> reply) {
        if (reply.isEmpty()) return Optional.empty();
        return Optional.of(new CatchUp(text(reply.get(0)).equals("true"), number(reply.get(1)), text(reply.get(2)),
                pairs(reply.get(3)), chunks(reply.get(4))));
    }

    /** {@code timeline.lua}: {'WRITTEN', presentation time (epoch µs)} or {refusal}. */
    static TimelinePlacement placement(List<Object> reply) {
        WriteOutcome outcome = WriteOutcome.valueOf(text(reply.get(0)));
        return new TimelinePlacement(outcome, outcome == WriteOutcome.WRITTEN ? number(reply.get(1)) : 0);
    }

    /**
     * A session's state fields in the order {@link RedisShareStore#SESSION_FIELDS} names them (an HMGET, or
     * {@code stop.lua}'s reply); empty when the session hash does not exist.
     */
    static Optional<SessionRecord> session(String id, List<?> fields) {
        if (fields.isEmpty() || fields.get(0) == null) return Optional.empty();
        return Optional.of(new SessionRecord(id, text(fields.get(0)).equals("true"), number(fields.get(1)),
                number(fields.get(2)), number(fields.get(3)), number(fields.get(4)), number(fields.get(5)),
                (int) number(fields.get(6)), fields.get(7) == null ? "" : text(fields.get(7))));
    }

    /** {@code stop.lua}: {} when no session holds the id, {'FORBIDDEN'} for a wrong sender key, else the state. */
    static StopResult stop(String id, List<Object> reply) {
        if (reply.isEmpty()) return StopResult.refused(WriteOutcome.NOT_FOUND);
        if (reply.size() == 1) return StopResult.refused(WriteOutcome.valueOf(text(reply.get(0))));
        return new StopResult(WriteOutcome.WRITTEN, session(id, reply).orElseThrow());
    }

    /** A bulk or status reply as text (UTF-8). */
    static String text(Object value) {
        return value instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static long number(Object value) {
        if (value == null) return 0;
        if (value instanceof Long integer) return integer;
        return Long.parseLong(text(value));
    }

    @SuppressWarnings("unchecked")
    private static List<ChunkRef> chunks(Object flatTriples) {
        List<Object> flat = (List<Object>) flatTriples;
        List<ChunkRef> chunks = new ArrayList<>(flat.size() / 3);
        for (int i = 0; i + 2 < flat.size(); i += 3) {
            chunks.add(new ChunkRef(number(flat.get(i)), number(flat.get(i + 1)), (byte[]) flat.get(i + 2)));
        }
        return chunks;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> pairs(Object flatPairs) {
        List<Object> flat = (List<Object>) flatPairs;
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) fields.put(text(flat.get(i)), text(flat.get(i + 1)));
        return fields;
    }
}
