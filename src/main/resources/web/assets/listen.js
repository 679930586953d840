// The listener page's controller: follows the session's push stream, shows what is playing with its lyrics in time
// with the audio, and plays the audio once the listener asks for it. The timing rules live in now-playing.js, the
// token in auth.js, the page's elements in player-view.js; this file wires them together. window.musicShareStatus is
// a read-only snapshot of the player for tests and for curious listeners (open the console); its position, lyricLine
// and currentSequence come from the same render, so they agree with each other.
//
// Every page plays each chunk at its presentation time (the server's timeline) plus the same target delay, so all
// listeners hear the same sample at the same moment (see timeline-player.js); the lyrics follow the audio actually
// heard, frame by frame. The audio comes as Opus (decoded by WebCodecs, ~16 kB/s) where the browser can decode it,
// as float PCM (~470 kB/s) otherwise; ?codec=pcm or ?codec=opus chooses (tests run both).
import { Backlog } from './backlog.js';
import { authHeaders, forgetToken, listenerIdForThisTab, storeToken, takeTokenFromLink } from './auth.js';
import { CoverArt } from './cover-art.js';
import { InvitePanel } from './invite.js';
import { askForNameOnce, listenersText, nameHeaders } from './listener-name.js';
import { LyricsView } from './lyrics-view.js';
import { handleMediaKeys, setPlaybackState, showOnLockScreen } from './media-session.js';
import { NowPlaying } from './now-playing.js';
import { OpusStream, canDecodeOpus } from './opus-stream.js';
import { PlayerView } from './player-view.js';
import { PushStream, StreamRefused } from './push-stream.js';
import { Reception } from './reception.js';
import { ServerClock } from './server-clock.js';
import { TimelinePlayer } from './timeline-player.js';

const LISTENER_COUNT_EVERY_MS = 5000;
// The underrun guard, and the lyrics' timing while no line change is timed, also run when frames do not (a tab in
// the background, a browser busy elsewhere).
const GUARD_EVERY_MS = 20;
const CLOCK_SETTLING_MAX_MS = 2000; // Listen waits at most this long for the clock estimate (usually it is ready)
const SESSION_CODE = /^[0-9]{6}$/;
// States the stream cannot leave: only a new page load (or, after "denied", a new token) starts again.
const STOPPED_STATES = new Set(['ended', 'not-found', 'denied', 'invalid']);

const base = document.body.dataset.base;
const sessionId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const $ = (id) => document.getElementById(id);
const page = new PlayerView();
const view = page.el;

const serverClock = new ServerClock(base);
const player = new TimelinePlayer(serverClock);
const nowPlaying = new NowPlaying();
const listenerId = listenerIdForThisTab();
const connection = { state: 'connecting', stream: null, token: null, countingListeners: false };
const cover = new CoverArt({ base, headers: requestHeaders, onChange: (objectUrl) => {
  page.showCover(objectUrl);
  const metadata = nowPlaying.metadata;
  if (metadata) showOnLockScreen({ title: metadata.title, artist: metadata.artist, coverUrl: objectUrl });
} });
const received = { chunks: 0, gaps: 0, listenerCount: null, audibleSequence: -1, lastHeardSequence: -1, codec: null,
  lastStatus: null };
const reception = new Reception();
let muted = false;
const opus = new OpusStream((block) => player.schedule(block));
const lyrics = new LyricsView({ list: view.lyrics, plain: view.plainLyrics, none: view.noLyrics,
  currentLine: view.currentLine }, render);
const backlog = new Backlog();
// True once Listen has started the player and the clocks are settled: until then chunks wait in the backlog, in order.
let playing = false;
// The player's figures as they stood when the session ended (closing the player resets its own), so what was played
// last can still be read afterwards; currentSequence is then the last chunk heard.
const ended = { stats: null, currentSequence: -1 };

Object.defineProperty(window, 'musicShareStatus', {
  get: () => Object.freeze({
    state: connection.state, sessionId, chunksReceived: received.chunks, ...player.stats,
    ...ended.stats, currentSequence: ended.stats ? ended.currentSequence : received.audibleSequence,
    bufferedSeconds: player.bufferedSeconds(),
    gaps: received.gaps, position: nowPlaying.position, lyricLine: lyrics.line,
    lyricText: lyrics.lines[lyrics.line]?.text ?? null, lyricTexts: lyrics.currentTexts,
    title: nowPlaying.metadata?.title ?? null,
    artist: nowPlaying.metadata?.artist ?? null, listenerCount: received.listenerCount, listening: player.started,
    delayMs: player.delayMs(), clockOffsetMs: serverClock.offsetMs, clockRoundTripMs: serverClock.roundTripMs,
    codec: received.codec, receivedKBps: reception.kBps(), muted, decoderErrors: opus.errors,
  }),
});

// For tests and the curious: the audio graph's output before the volume (connect an analyser to tapPoint) and the
// mapping from the audio clock to epoch milliseconds that the player schedules with.
Object.defineProperty(window, 'musicShareAudio', {
  get: () => (player.started ? Object.freeze({
    context: player.context, tapPoint: player.seam, targetDelayMs: player.targetDelayMs,
    epochOf: (contextTime) => performance.timeOrigin + player.performanceTimeOf(contextTime),
  }) : null),
});

// Behind ?debug only, a way to cut this page's own stream for a while (tests make a connection stall with it); it
// touches nothing but this tab.
if (new URLSearchParams(location.search).has('debug')) {
  window.musicShareDebug = Object.freeze({ stallStream: (ms) => connection.stream?.stall(ms) });
}

view.sessionId.textContent = sessionId;
view.listen.addEventListener('click', toggleListening);
view.volume.addEventListener('input', () => player.setVolume(Number(view.volume.value)));
view.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  storeToken(view.token.value.trim());
  connect();
});
document.addEventListener('keydown', onKey);
handleMediaKeys({ play: () => { if (!player.started) void toggleListening(); },
  pause: () => { if (player.started) void toggleListening(); } });
askForNameOnce({ form: view.nameForm, input: $('display-name'), skip: $('name-skip') }, () => {
  if (connection.stream && !STOPPED_STATES.has(connection.state)) connection.stream.reconnect(); // named at once
});
const invite = new InvitePanel({ base, sessionId, headers: requestHeaders, elements: { button: $('invite'),
  panel: $('invite-panel'), link: $('invite-link'), qr: $('invite-qr'), copy: $('copy-link'),
  result: $('copy-result') } });
void serverClock.start();
connect();
requestAnimationFrame(frame);
setInterval(() => {
  player.guardUnderrun();
  if (!lyrics.timing) render();
}, GUARD_EVERY_MS);

/** Lyrics and progress follow the audio clock every frame the browser draws. */
function frame() {
  player.guardUnderrun();
  render();
  requestAnimationFrame(frame);
}

/** This page's requests: the token, the tab's listener id, the listener's name. */
function requestHeaders() {
  return { ...authHeaders(connection.token, listenerId), ...nameHeaders() };
}

/**
 * Opus where this browser decodes it (WebCodecs, which needs a secure context: https or localhost), else PCM;
 * ?codec=pcm|opus asks for one (Opus falls back to PCM where it cannot be decoded).
 */
async function chooseCodec() {
  const asked = new URLSearchParams(location.search).get('codec');
  if (asked === 'pcm') return 'pcm';
  return (await canDecodeOpus()) ? 'opus' : 'pcm';
}

/** Starts (or, with a new token after "denied", starts again) following the session. */
async function connect() {
  if (!SESSION_CODE.test(sessionId)) {
    return finish('invalid', 'That is not a session code', 'A session code is exactly 6 digits.');
  }
  connection.token = takeTokenFromLink();
  if (!connection.token) {
    return finish('denied', 'Access token needed', 'Enter the server\'s access token to listen.', true);
  }
  page.hideNotice();
  showState('connecting');
  connection.stream?.close();
  received.codec ??= await chooseCodec();
  connection.stream = new PushStream({
    base, sessionId, token: connection.token, listenerId, codec: received.codec, headers: nameHeaders,
    onEvent: handleEvent,
    onState: (state) => {
      if (state === 'connected') opus.restart(); // a new connection may come from another node's encoder
      setState(state === 'connected' ? (nowPlaying.metadata ? listeningState() : 'waiting') : state);
      // Counted from the first connection on: before it, this listener would not count itself.
      if (state === 'connected' && !connection.countingListeners) void pollListenerCount();
    },
  });
  connection.stream.run().catch((error) => {
    if (!(error instanceof StreamRefused)) throw error;
    const heardAnything = received.chunks > 0 || nowPlaying.metadata;
    if (error.status === 404) {
      finish(heardAnything ? 'ended' : 'not-found', nowPlaying.metadata ? 'Session ended' : 'Session not found',
        nowPlaying.metadata ? 'The person sharing has stopped.' : `No session is live under ${sessionId}. Check the code.`);
    } else if (error.status === 401 || error.status === 403) {
      forgetToken();
      finish('denied', 'Access denied', 'The access token was not accepted. Enter it again.', true);
    } else {
      finish('invalid', 'That is not a session code', error.message);
    }
  });
}

function handleEvent(name, data, size) {
  switch (name) {
    case 'metadata':
      nowPlaying.receive(data, Date.now());
      if (connection.state === 'waiting') setState(listeningState());
      break;
    case 'audio':
      received.chunks++;
      reception.count(size);
      if (playing) playAudio(data);
      else backlog.keep(data);
      if (connection.state === 'waiting') setState(listeningState());
      break;
    case 'gap':
      received.gaps++;
      if (received.codec === 'opus') opus.gap();
      break;
    case 'ended':
      void endAfterPlayingOut(data.reason);
      break;
    case 'reconnect':
      setState('reconnecting');
      break;
    default:
      break;
  }
}

function playAudio(event) {
  if (event.codec === 'opus') opus.push(event);
  else player.playPcm(event);
}

/** The session ended: what is queued is still to be heard, so it plays out first, then the page says so. */
async function endAfterPlayingOut(reason) {
  if (player.started) {
    await opus.flush(); // the last frames may still be in the decoder
    await player.drain();
  }
  finish('ended', 'Session ended', reason === 'expired'
    ? 'The sender went quiet and the session expired.' : 'The person sharing has stopped.');
}

/** Space plays or pauses (where it would not press a button or type), M mutes. */
function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
  if (event.key === ' ' && !(target instanceof HTMLButtonElement) && !view.listen.disabled) {
    event.preventDefault();
    void toggleListening();
  } else if (event.key === 'm' || event.key === 'M') {
    muted = !muted;
    player.setMuted(muted);
    page.showMuted(muted);
  }
}

async function toggleListening() {
  if (player.started) {
    playing = false;
    opus.close();
    await player.stop();
    page.showListenButton(false);
    setPlaybackState(false);
  } else {
    if (!serverClock.ready) await serverClock.sample().catch(() => {});
    await Promise.all([player.start(), serverClock.settled(CLOCK_SETTLING_MAX_MS)]);
    setPlaybackState(true);
    player.setVolume(Number(view.volume.value));
    for (const event of backlog.take()) playAudio(event);
    playing = true;
    page.showListenButton(true);
  }
  setState(listeningState());
}

/** Runs every frame: shows metadata when its moment is heard, moves the progress bar and lyrics. */
function render() {
  const audible = player.audible();
  received.audibleSequence = audible?.sequence ?? -1; // from the same moment as position and lyricLine
  if (audible) received.lastHeardSequence = audible.sequence;
  const due = nowPlaying.applyDue(player.started, audible?.senderTime);
  if (due) showMetadata(due.metadata, due.changedTrack);
  if (connection.state !== 'reconnecting' && player.started) setState(audible ? 'playing' : 'buffering');
  if (!STOPPED_STATES.has(connection.state)) { // once stopped, finish() said the last word
    page.showLive(() => ({ audible: !!audible, delayMs: audible ? player.delayMs() : null,
      rejoins: player.stats.rejoins, lastMissedSeconds: player.stats.lastMissedSeconds, reception: received.chunks > 0
        ? `Receiving ${received.codec === 'opus' ? 'Opus' : 'PCM'} · ${reception.kBps().toFixed(0)} kB/s` : '' }));
  }
  const metadata = nowPlaying.metadata;
  if (!metadata) return;
  const position = nowPlaying.positionAt(player.started, audible, Date.now());
  page.showProgress(position, metadata.totalSeconds || 0, !STOPPED_STATES.has(connection.state));
  lyrics.follow(position, !!audible);
}

function showMetadata(metadata, changedTrack) {
  page.showMetadata(metadata, cover.objectUrl);
  if (metadata.lyrics !== lyrics.text || changedTrack) lyrics.show(metadata.lyrics, metadata.hasSyncedLyrics);
  void cover.show(metadata.thumbnailUrl ?? null);
}

async function pollListenerCount() {
  connection.countingListeners = true;
  while (!STOPPED_STATES.has(connection.state)) {
    try {
      const response = await fetch(`${base}api/share/${sessionId}/status`,
        { headers: requestHeaders(), cache: 'no-store' });
      if (response.ok && !STOPPED_STATES.has(connection.state)) {
        const status = await response.json();
        received.listenerCount = status.listenerCount;
        received.lastStatus = status;
        page.text(view.listeners, listenersText(status));
      }
    } catch { /* the stream reports connection trouble; this only decorates */ }
    await new Promise((resolve) => setTimeout(resolve, LISTENER_COUNT_EVERY_MS));
  }
  connection.countingListeners = false;
}

function listeningState() {
  if (!player.started) return 'ready';
  return player.isBuffering() ? 'buffering' : 'playing';
}

/** A state change from the stream or the player; once stopped, only {@link connect} or {@link finish} move on. */
function setState(state) {
  if (!STOPPED_STATES.has(connection.state)) showState(state);
}

function showState(state) {
  connection.state = state;
  page.showState(state);
}

/** Stops following the session and says why; "denied" keeps the audio and asks for a token. */
function finish(state, title, text, askForToken = false) {
  connection.stream?.close();
  if (state !== 'denied') {
    playing = false;
    if (state === 'ended' && player.started) {
      ended.stats = { ...player.stats };
      ended.currentSequence = received.lastHeardSequence;
    }
    void player.stop();
    page.showListenButton(false);
    invite.close(); // no invitation to a session that is gone
  }
  connection.state = state;
  page.showFinished({ state, title, text, askForToken, heardAnything: !!nowPlaying.metadata || received.chunks > 0,
    hasMetadata: !!nowPlaying.metadata,
    listenedText: state === 'ended' && received.lastStatus ? listenersText(received.lastStatus, 'listened') : '',
    receptionText: state === 'ended' && received.chunks > 0
      ? `Received ${received.codec === 'opus' ? 'Opus' : 'PCM'}` : '' });
  if (state === 'ended') void showWhoListened();
}

/**
 * At the end the header names who listened, from a status read after the end: a page opened in the grace period has
 * no earlier status of its own (its first may still be on the way, and is then dropped). Asked without this tab's
 * listener id or name: reading status is not listening, and this page never was a listener unless Listen said so.
 */
async function showWhoListened() {
  try {
    const response = await fetch(`${base}api/share/${sessionId}/status`,
      { headers: { Authorization: `Bearer ${connection.token}` }, cache: 'no-store' });
    if (!response.ok) return; // the grace period is over: the last status, if any, stays
    const status = await response.json();
    received.lastStatus = status;
    page.text(view.listeners, status.listenerCount > 0 ? listenersText(status, 'listened') : '');
  } catch { /* the header keeps what it had */ }
}
