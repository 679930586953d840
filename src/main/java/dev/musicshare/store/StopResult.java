package dev.musicshare.store;

/**
 * What became of a stop.
 *
 * @param outcome WRITTEN (stopped, or already stopped), NOT_FOUND or FORBIDDEN
 * @param record  the session's final state when WRITTEN, else null
 */
public record StopResult(WriteOutcome outcome, SessionRecord record) {
    public static StopResult refused(WriteOutcome outcome) {
        return new StopResult(outcome, null);
    }
}
