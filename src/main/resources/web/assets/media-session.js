// The lock screen and the system's media keys (Media Session API): title, artist and cover, play and pause.

export function showOnLockScreen({ title, artist, coverUrl }) {
  if (!('mediaSession' in navigator)) return;
  navigator.mediaSession.metadata = new MediaMetadata({
    title: title || 'Music Share', artist: artist || '', album: 'Music Share',
    artwork: coverUrl ? [{ src: coverUrl, sizes: '512x512' }] : [],
  });
}

export function handleMediaKeys({ play, pause }) {
  if (!('mediaSession' in navigator)) return;
  navigator.mediaSession.setActionHandler('play', play);
  navigator.mediaSession.setActionHandler('pause', pause);
  navigator.mediaSession.setActionHandler('stop', pause);
}

export function setPlaybackState(playing) {
  if ('mediaSession' in navigator) navigator.mediaSession.playbackState = playing ? 'playing' : 'paused';
}
