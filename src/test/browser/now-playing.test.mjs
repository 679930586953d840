// The now-playing rules of the listener page (src/main/resources/web/assets/now-playing.js), without a browser:
// run by NowPlayingScriptTest as `node --test now-playing.test.mjs`.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

// The page's modules are plain files under src/main (no package.json marks them as ES modules for node), so the
// module is loaded from its source text.
const source = readFileSync(new URL('../../main/resources/web/assets/now-playing.js', import.meta.url), 'utf8');
const { NowPlaying, formatClock, MAX_METADATA_LEAD_MS, MAX_UNHEARD_ADVANCE_SECONDS, PENDING_METADATA_LIMIT } =
  await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);

const track = (fields) => ({ title: 'Song', artist: 'Band', elapsedSeconds: 10, totalSeconds: 200,
  timestamp: 1_000_000, ...fields });

test('without audio an update is shown at once and runs on by the page clock, at most two seconds', () => {
  const playing = new NowPlaying();
  playing.receive(track(), 5_000);
  assert.deepEqual(playing.applyDue(false, undefined)?.changedTrack, true);
  assert.equal(playing.positionAt(false, null, 5_500), 10.5);
  assert.equal(playing.positionAt(false, null, 60_000), 10 + MAX_UNHEARD_ADVANCE_SECONDS);
});

test('while audio plays an update waits for the audio it describes', () => {
  const playing = new NowPlaying();
  playing.receive(track({ title: 'First', timestamp: 1_000 }), 0);
  playing.applyDue(true, 1_500);
  playing.receive(track({ title: 'Next', elapsedSeconds: 0, timestamp: 3_000 }), 0);
  assert.equal(playing.applyDue(true, 2_999), null);
  assert.equal(playing.metadata.title, 'First');
  assert.equal(playing.applyDue(true, 3_000).metadata.title, 'Next');
});

test('an update stamped implausibly far ahead of the heard audio is shown at once', () => {
  const playing = new NowPlaying();
  playing.receive(track({ timestamp: 1_000 + MAX_METADATA_LEAD_MS }), 0);
  assert.equal(playing.applyDue(true, 1_000).metadata.title, 'Song');
});

test('the position follows the heard sample on the sender clock, clamped to the track', () => {
  const playing = new NowPlaying();
  playing.receive(track(), 0);
  playing.applyDue(true, 1_000_000);
  assert.equal(playing.positionAt(true, { senderTime: 1_002_500 }, 0), 12.5);
  assert.equal(playing.positionAt(true, { senderTime: 1_000_000 + 500_000 }, 0), 200);
  assert.equal(playing.positionAt(true, { senderTime: 990_000 }, 0), 0);
});

test('while the player waits for audio the position holds still', () => {
  const playing = new NowPlaying();
  playing.receive(track(), 0);
  playing.applyDue(true, 1_000_000);
  playing.positionAt(true, { senderTime: 1_003_000 }, 0);
  assert.equal(playing.positionAt(true, null, 99_999), 13);
});

test('a repeated elapsedSeconds means paused: the position stands still', () => {
  const playing = new NowPlaying();
  playing.receive(track(), 0);
  playing.applyDue(false);
  playing.receive(track(), 1_000);
  assert.equal(playing.applyDue(false).changedTrack, false);
  assert.equal(playing.positionAt(false, null, 1_900), 10);
  assert.equal(playing.positionAt(true, { senderTime: 1_005_000 }, 0), 10);
});

test('only the newest updates are kept while they wait', () => {
  const playing = new NowPlaying();
  for (let i = 0; i <= PENDING_METADATA_LIMIT; i++) playing.receive(track({ title: `t${i}`, timestamp: 5_000 + i }), 0);
  playing.applyDue(false);
  assert.equal(playing.metadata.title, `t${PENDING_METADATA_LIMIT}`);
});

test('clock text', () => {
  assert.equal(formatClock(0), '0:00');
  assert.equal(formatClock(65.9), '1:05');
  assert.equal(formatClock(3600 + 62), '1:01:02');
  assert.equal(formatClock(-3), '0:00');
});
