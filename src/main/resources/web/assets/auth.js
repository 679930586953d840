// The access token and this tab's listener id. Both live in the tab's sessionStorage: the join page stores the
// token, the listener page sends both on its own API requests (headers, never a URL, so no access log sees them).

const TOKEN_KEY = 'music-share.token';
const LISTENER_ID_KEY = 'music-share.listener';
const LISTENER_ID_BYTES = 16;

export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Keeps a token for this tab; an empty one is not kept. */
export function storeToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The token from a shared link's #token=… (moved out of the address bar at once), else this tab's stored one. */
export function takeTokenFromLink() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (fragment.has('token')) {
    storeToken(fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return storedToken();
}

/** A random id for this tab, kept while it stays open, so the server counts a reloading listener once. */
export function listenerIdForThisTab() {
  let id = sessionStorage.getItem(LISTENER_ID_KEY);
  if (!id) {
    // getRandomValues, not randomUUID: the latter is missing on plain-http LAN addresses.
    id = Array.from(crypto.getRandomValues(new Uint8Array(LISTENER_ID_BYTES)),
      (b) => b.toString(16).padStart(2, '0')).join('');
    sessionStorage.setItem(LISTENER_ID_KEY, id);
  }
  return id;
}

export function authHeaders(token, listenerId) {
  return { Authorization: `Bearer ${token}`, 'X-Listener-Id': listenerId };
}
