// What is playing and where in the track the listener is, worked out from what the sender said (metadata stamped
// with the sender's clock) and what is heard now. No page, no timers, no audio: every input is an argument, so the
// rules can be tested on their own (src/test/browser/now-playing.test.mjs).

/** Metadata updates kept while they wait for the audio they describe; beyond this the oldest are dropped. */
export const PENDING_METADATA_LIMIT = 64;
/** An update stamped further ahead of the heard audio than this is shown at once: no track is that far ahead. */
export const MAX_METADATA_LEAD_MS = 10_000;
/** Without audio to time it, the position runs on at most this far past the last update (the track may be paused). */
export const MAX_UNHEARD_ADVANCE_SECONDS = 2;

export class NowPlaying {
  /** The metadata shown now (with receivedAt, ms on the page's clock), or null before the first. */
  metadata = null;
  /** Seconds into the track, as last worked out by {@link NowPlaying#positionAt}. */
  position = 0;
  #pending = [];
  #previousElapsed = null;
  /** False while the sender repeats the same elapsedSeconds: the track is paused, so the position stands still. */
  #advancing = true;

  /** Queues an update as it arrives; {@code receivedAt} is the page's clock in ms. */
  receive(metadata, receivedAt) {
    this.#pending.push({ ...metadata, receivedAt });
    if (this.#pending.length > PENDING_METADATA_LIMIT) this.#pending.shift();
  }

  /**
   * Shows the newest update that is due: while audio plays, an update is due once the audio it describes is heard
   * (a new track's title appears with its first notes, not a second early), as both carry the sender's clock;
   * otherwise at once. Returns {metadata, changedTrack} when the shown metadata changed, else null.
   *
   * @param listening whether audio is being played
   * @param heardAt   the sender's clock (ms) at the sample heard now, or null/undefined when none is
   */
  applyDue(listening, heardAt) {
    let due = null;
    while (this.#pending.length > 0) {
      const next = this.#pending[0];
      const waitsForAudio = listening && typeof heardAt === 'number' && typeof next.timestamp === 'number'
        && next.timestamp > heardAt && next.timestamp - heardAt < MAX_METADATA_LEAD_MS;
      if (waitsForAudio) break;
      due = this.#pending.shift();
    }
    if (!due) return null;
    const previous = this.metadata;
    const changedTrack = !previous || previous.title !== due.title || previous.artist !== due.artist;
    this.#advancing = changedTrack || this.#previousElapsed === null || due.elapsedSeconds !== this.#previousElapsed;
    this.#previousElapsed = due.elapsedSeconds;
    this.metadata = due;
    return { metadata: due, changedTrack };
  }

  /**
   * The position in the track now, in seconds, within [0, totalSeconds] when the length is known. Timed by the
   * heard audio when there is some; held still while the player waits for audio (rather than run ahead of the
   * sound); otherwise run on from the update by the page's clock, for at most {@link MAX_UNHEARD_ADVANCE_SECONDS}.
   *
   * @param listening whether audio is being played
   * @param audible   {senderTime} of the sample heard now, or null when none is
   * @param now       the page's clock, ms
   */
  positionAt(listening, audible, now) {
    const metadata = this.metadata;
    if (!metadata) return this.position;
    let position;
    if (audible && typeof audible.senderTime === 'number' && typeof metadata.timestamp === 'number'
        && this.#advancing) {
      position = metadata.elapsedSeconds + (audible.senderTime - metadata.timestamp) / 1000;
    } else if (listening && !audible) {
      position = this.position;
    } else {
      const sinceUpdate = this.#advancing
        ? Math.min(MAX_UNHEARD_ADVANCE_SECONDS, (now - metadata.receivedAt) / 1000) : 0;
      position = metadata.elapsedSeconds + sinceUpdate;
    }
    const total = metadata.totalSeconds || 0;
    this.position = Math.max(0, total > 0 ? Math.min(total, position) : position);
    return this.position;
  }
}

/** "m:ss", or "h:mm:ss" from an hour on. */
export function formatClock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
