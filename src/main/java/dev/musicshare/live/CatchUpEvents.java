package dev.musicshare.live;

import dev.musicshare.share.CatchUp;
import dev.musicshare.share.SessionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns what a session owes one push listener ({@link CatchUp}) into the events that listener is sent. */
final class CatchUpEvents {
    private CatchUpEvents() {}

    /**
     * The metadata, then a {@code gap} for anything after {@code after} the store no longer holds, then the chunks
     * after {@code after}. With {@code after} = -1 (the whole buffer was asked for) nothing is owed before the first
     * chunk held, so there is no gap.
     */
    static List<LiveEvent> backlog(SessionId id, CatchUp catchUp, long after) {
        List<LiveEvent> events = new ArrayList<>();
        catchUp.metadata().ifPresent(metadata -> events.add(LiveEvents.metadata(id, metadata)));
        List<CatchUp.ReleasedChunk> newer = catchUp.chunks().stream().filter(c -> c.sequenceNumber() > after).toList();
        if (after >= 0) {
            long firstHeld = newer.isEmpty() ? catchUp.released() + 1 : newer.get(0).sequenceNumber();
            if (firstHeld > after + 1) events.add(LiveEvent.gap(after + 1, firstHeld - 1));
        }
        for (CatchUp.ReleasedChunk chunk : newer) events.add(LiveEvent.audio(chunk.sequenceNumber(), chunk.json()));
        return events;
    }

    /** The {@code ended} event owed when the session is no longer active. */
    static Optional<LiveEvent> ending(CatchUp catchUp) {
        return switch (catchUp.state()) {
            case ACTIVE -> Optional.empty();
            case STOPPED -> Optional.of(LiveEvent.ended("stopped"));
            case GONE -> Optional.of(LiveEvent.ended("expired"));
        };
    }
}
