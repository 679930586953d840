// The listener page: follows the session's push stream, shows what is playing with its lyrics in time with the
// audio, and plays the audio once the listener asks for it. window.musicShareStatus is a read-only snapshot of the
// player for tests and for curious listeners (open the console); its position, lyricLine and currentSequence come
// from the same render, so they agree with each other.
import { AudioPlayer } from './audio-player.js';
import { groupAt, parseLrc } from './lyrics.js';
import { PushStream, StreamRefused, TOKEN_KEY } from './push-stream.js';

const BACKLOG_SECONDS = 0.5;      // audio kept before Listen is pressed, so playback starts at once and near live
const LISTENER_COUNT_EVERY_MS = 5000;

const base = document.body.dataset.base;
const sessionId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const $ = (id) => document.getElementById(id);
const view = {
  sessionId: $('session-id'), listeners: $('listeners'), state: $('state'), title: $('title'), artist: $('artist'),
  cover: $('cover'), coverPlaceholder: $('cover-placeholder'), progress: $('progress'), progressFill: $('progress-fill'),
  elapsed: $('elapsed'), total: $('total'), listen: $('listen'), volume: $('volume'), lyrics: $('lyrics'),
  plainLyrics: $('plain-lyrics'), noLyrics: $('no-lyrics'), notice: $('notice'), noticeTitle: $('notice-title'),
  noticeText: $('notice-text'), noticeHome: $('notice-home'), tokenForm: $('token-form'), token: $('token'),
  player: $('player'),
};

const player = new AudioPlayer();
const page = {
  state: 'connecting', stream: null, token: null, listenerId: listenerIdForThisTab(),
  metadata: null, pendingMetadata: [], previousElapsed: null, advancing: true, receivedAt: 0,
  lyricsText: undefined, lyricLines: [], lyricLine: -1, lyricLast: -1, position: 0, coverUrl: null,
  coverVersion: null,
  backlog: [], chunksReceived: 0, gaps: 0, listenerCount: null, countingListeners: false,
  audibleSequence: -1,
};

const STATE_TEXT = {
  connecting: 'Connecting…', waiting: 'Waiting for the sender…', ready: 'Live — press Listen',
  buffering: 'Buffering…', playing: 'Playing', reconnecting: 'Connection lost — reconnecting…',
  ended: 'Session ended', 'not-found': 'Session not found', denied: 'Access denied', invalid: 'Invalid code',
};

Object.defineProperty(window, 'musicShareStatus', {
  get: () => Object.freeze({
    state: page.state, sessionId, chunksReceived: page.chunksReceived, ...player.stats,
    currentSequence: page.audibleSequence, bufferedSeconds: player.bufferedSeconds(),
    gaps: page.gaps, position: page.position, lyricLine: page.lyricLine,
    lyricText: page.lyricLines[page.lyricLine]?.text ?? null,
    lyricTexts: page.lyricLines.slice(page.lyricLine, page.lyricLast + 1).map((line) => line.text),
    title: page.metadata?.title ?? null,
    artist: page.metadata?.artist ?? null, listenerCount: page.listenerCount, listening: player.started,
  }),
});

view.sessionId.textContent = sessionId;
view.listen.addEventListener('click', toggleListening);
view.volume.addEventListener('input', () => player.setVolume(Number(view.volume.value)));
view.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, view.token.value.trim());
  connect();
});
connect();
setInterval(render, 100);

function connect() {
  if (!/^[0-9]{6}$/.test(sessionId)) return finish('invalid', 'That is not a session code',
    'A session code is exactly 6 digits.');
  page.token = takeToken();
  if (!page.token) return finish('denied', 'Access token needed', 'Enter the server\'s access token to listen.', true);
  hideNotice();
  setState('connecting');
  page.stream = new PushStream({
    base, sessionId, token: page.token, listenerId: page.listenerId, onEvent: handleEvent,
    onState: (state) => {
      setState(state === 'connected' ? (page.metadata ? listeningState() : 'waiting') : state);
      // Counted from the first connection on: before it, this listener would not count itself.
      if (state === 'connected' && !page.countingListeners) {
        page.countingListeners = true;
        void pollListenerCount();
      }
    },
  });
  page.stream.run().catch((error) => {
    if (!(error instanceof StreamRefused)) throw error;
    if (error.status === 404) {
      finish(page.chunksReceived > 0 || page.metadata ? 'ended' : 'not-found',
        page.metadata ? 'Session ended' : 'Session not found',
        page.metadata ? 'The person sharing has stopped.' : `No session is live under ${sessionId}. Check the code.`);
    } else if (error.status === 401 || error.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
      finish('denied', 'Access denied', 'The access token was not accepted. Enter it again.', true);
    } else {
      finish('invalid', 'That is not a session code', error.message);
    }
  });
}

function handleEvent(name, data) {
  switch (name) {
    case 'metadata':
      page.pendingMetadata.push({ ...data, receivedAt: Date.now() });
      if (page.pendingMetadata.length > 64) page.pendingMetadata.shift();
      if (page.state === 'waiting') setState(listeningState());
      break;
    case 'audio':
      page.chunksReceived++;
      if (player.started) player.play(data);
      else keepInBacklog(data);
      if (page.state === 'waiting') setState(listeningState());
      break;
    case 'gap':
      page.gaps++;
      break;
    case 'ended':
      finish('ended', 'Session ended', data.reason === 'expired'
        ? 'The sender went quiet and the session expired.' : 'The person sharing has stopped.');
      break;
    case 'reconnect':
      setState('reconnecting');
      break;
    default:
      break;
  }
}

async function toggleListening() {
  if (player.started) {
    await player.stop();
    view.listen.textContent = '▶ Listen';
    view.listen.setAttribute('aria-pressed', 'false');
  } else {
    await player.start();
    player.setVolume(Number(view.volume.value));
    for (const chunk of page.backlog) player.play(chunk);
    page.backlog = [];
    view.listen.textContent = '■ Stop listening';
    view.listen.setAttribute('aria-pressed', 'true');
  }
  if (!isFinal(page.state)) setState(listeningState());
}

function keepInBacklog(chunk) {
  page.backlog.push(chunk);
  const seconds = (c) => (c.data.length * 3 / 4) / 4 / Math.max(1, c.channels) / c.sampleRate;
  let total = page.backlog.reduce((sum, c) => sum + seconds(c), 0);
  while (page.backlog.length > 1 && total - seconds(page.backlog[0]) >= BACKLOG_SECONDS) {
    total -= seconds(page.backlog.shift());
  }
}

/** Runs ten times a second: applies metadata when its moment is heard, moves the progress bar and lyrics. */
function render() {
  const audible = player.audible();
  page.audibleSequence = audible?.sequence ?? -1; // from the same moment as position and lyricLine
  applyDueMetadata(audible);
  if (!isFinal(page.state) && page.state !== 'reconnecting' && player.started) {
    setState(player.isBuffering() ? 'buffering' : 'playing');
  }
  const metadata = page.metadata;
  if (!metadata) return;
  page.position = positionNow(metadata, audible);
  const total = metadata.totalSeconds || 0;
  view.elapsed.textContent = clock(page.position);
  view.total.textContent = total > 0 ? clock(total) : 'live'; // a stream without a known length
  view.progress.setAttribute('aria-valuemax', String(Math.round(total)));
  view.progress.setAttribute('aria-valuenow', String(Math.round(page.position)));
  view.progress.setAttribute('aria-valuetext', `${clock(page.position)} of ${clock(total)}`);
  view.progressFill.style.width = total > 0 ? `${Math.min(100, (page.position / total) * 100)}%` : '0%';
  highlightLyrics(groupAt(page.lyricLines, page.position));
}

/**
 * While audio plays, metadata is shown when the audio it describes is heard (a new track's title appears with its
 * first notes, not a second early): the sender stamps both with its own clock. Otherwise it is shown at once.
 */
function applyDueMetadata(audible) {
  const heardAt = audible?.senderTime;
  let due = null;
  while (page.pendingMetadata.length > 0) {
    const next = page.pendingMetadata[0];
    const waitsForAudio = player.started && typeof heardAt === 'number' && typeof next.timestamp === 'number'
      && next.timestamp > heardAt && next.timestamp - heardAt < 10_000;
    if (waitsForAudio) break;
    due = page.pendingMetadata.shift();
  }
  if (due) showMetadata(due);
}

function positionNow(metadata, audible) {
  let position;
  if (audible && typeof audible.senderTime === 'number' && typeof metadata.timestamp === 'number'
      && page.advancing) {
    position = metadata.elapsedSeconds + (audible.senderTime - metadata.timestamp) / 1000;
  } else if (player.started && !audible) {
    position = page.position; // buffering: hold still rather than run ahead of the sound
  } else {
    const sinceUpdate = page.advancing ? Math.min(2, (Date.now() - metadata.receivedAt) / 1000) : 0;
    position = metadata.elapsedSeconds + sinceUpdate;
  }
  const total = metadata.totalSeconds || 0;
  return Math.max(0, total > 0 ? Math.min(total, position) : position);
}

function showMetadata(metadata) {
  const changedTrack = !page.metadata || page.metadata.title !== metadata.title
    || page.metadata.artist !== metadata.artist;
  page.advancing = changedTrack || page.previousElapsed === null || metadata.elapsedSeconds !== page.previousElapsed;
  page.previousElapsed = metadata.elapsedSeconds;
  page.metadata = metadata;
  view.title.textContent = metadata.title || 'Unknown';
  view.artist.textContent = metadata.artist || '';
  document.title = `${metadata.title || 'Unknown'}${metadata.artist ? ` — ${metadata.artist}` : ''} · Music Share`;
  if (metadata.lyrics !== page.lyricsText || changedTrack) showLyrics(metadata.lyrics, metadata.hasSyncedLyrics);
  showCover(metadata.thumbnailUrl ?? null);
}

function showLyrics(text, synced) {
  page.lyricsText = text;
  page.lyricLines = synced ? parseLrc(text) : [];
  page.lyricLine = -1;
  page.lyricLast = -1;
  view.lyrics.replaceChildren(...page.lyricLines.map((line) => {
    const item = document.createElement('li');
    item.textContent = line.text || '♪';
    return item;
  }));
  const plain = !!text && page.lyricLines.length === 0;
  view.lyrics.hidden = page.lyricLines.length === 0;
  view.plainLyrics.hidden = !plain;
  view.plainLyrics.textContent = plain ? text.replace(/\[\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?\]/g, '') : '';
  view.noLyrics.hidden = !!text;
}

/** Highlights the current group of lines (those sharing a time: an original and its translation, say). */
function highlightLyrics(group) {
  const first = group?.first ?? -1;
  const last = group?.last ?? -1;
  if (first === page.lyricLine && last === page.lyricLast) return;
  for (let i = Math.max(0, page.lyricLine); i <= page.lyricLast; i++) {
    view.lyrics.children[i]?.classList.remove('current');
    view.lyrics.children[i]?.removeAttribute('aria-current');
  }
  page.lyricLine = first;
  page.lyricLast = last;
  if (!group) return;
  for (let i = first; i <= last; i++) {
    view.lyrics.children[i].classList.add('current');
    view.lyrics.children[i].setAttribute('aria-current', 'true');
  }
  // Scroll the lyrics box only (scrollIntoView would also scroll the page under a reader's thumb), to the group's
  // middle.
  const top = view.lyrics.children[first];
  const bottom = view.lyrics.children[last];
  const middle = (top.offsetTop + bottom.offsetTop + bottom.offsetHeight) / 2;
  view.lyrics.scrollTo({ top: middle - view.lyrics.clientHeight / 2, behavior: 'smooth' });
}

async function showCover(url) {
  const version = url && new URL(url, location.origin).searchParams.get('v');
  if (version === page.coverVersion) return;
  page.coverVersion = version;
  if (!url) return setCover(null);
  try {
    const response = await fetch(base + url.replace(/^\//, ''), { headers: authHeaders() });
    if (!response.ok || page.coverVersion !== version) return;
    setCover(URL.createObjectURL(await response.blob()));
  } catch {
    page.coverVersion = null; // try again with the next metadata
  }
}

function setCover(objectUrl) {
  if (page.coverUrl) URL.revokeObjectURL(page.coverUrl);
  page.coverUrl = objectUrl;
  view.cover.hidden = !objectUrl;
  view.coverPlaceholder.hidden = !!objectUrl;
  if (objectUrl) view.cover.src = objectUrl;
  else view.cover.removeAttribute('src');
}

async function pollListenerCount() {
  while (!isFinal(page.state)) {
    try {
      const response = await fetch(`${base}api/share/${sessionId}/status`, { headers: authHeaders(), cache: 'no-store' });
      if (response.ok) {
        const status = await response.json();
        page.listenerCount = status.listenerCount;
        view.listeners.textContent = `${status.listenerCount} listening`;
      }
    } catch { /* the stream reports connection trouble; this only decorates */ }
    await new Promise((resolve) => setTimeout(resolve, LISTENER_COUNT_EVERY_MS));
  }
}

function listeningState() {
  if (!player.started) return 'ready';
  return player.isBuffering() ? 'buffering' : 'playing';
}

function setState(state) {
  if (isFinal(page.state) && !isFinal(state)) return;
  page.state = state;
  view.state.dataset.state = state;
  view.state.textContent = STATE_TEXT[state] ?? state;
}

function isFinal(state) {
  return state === 'ended' || state === 'not-found' || state === 'denied' || state === 'invalid';
}

function finish(state, title, text, askForToken = false) {
  page.stream?.close();
  if (state !== 'denied') {
    void player.stop();
    view.listen.textContent = '▶ Listen';
    view.listen.setAttribute('aria-pressed', 'false');
  }
  page.state = 'connecting'; // let setState leave any earlier final state (a new token may follow "denied")
  setState(state);
  view.noticeTitle.textContent = title;
  view.noticeText.textContent = text;
  view.tokenForm.hidden = !askForToken;
  view.noticeHome.hidden = askForToken;
  view.notice.hidden = false;
  view.notice.dataset.state = state;
  view.player.classList.toggle('finished', state !== 'denied');
  view.listen.disabled = state !== 'denied';
  if (askForToken) view.token.focus();
}

function hideNotice() {
  view.notice.hidden = true;
  view.listen.disabled = false;
  view.player.classList.remove('finished');
}

/** The token from a shared link's #token=… (moved out of the address bar at once) or from this tab's storage. */
function takeToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has('token')) {
    sessionStorage.setItem(TOKEN_KEY, fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function authHeaders() {
  return { Authorization: `Bearer ${page.token}`, 'X-Listener-Id': page.listenerId };
}

function listenerIdForThisTab() {
  let id = sessionStorage.getItem('music-share.listener');
  if (!id) {
    // getRandomValues, not randomUUID: the latter is missing on plain-http LAN addresses.
    id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem('music-share.listener', id);
  }
  return id;
}

function clock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
