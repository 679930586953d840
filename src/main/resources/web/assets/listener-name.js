// The name this listener is shown by to the others ("Alice, Bob and 3 others"): asked once, remembered in this
// browser, sent as X-Listener-Name (percent-encoded: header values are Latin-1 on the wire).

const NAME_KEY = 'music-share.name';
const ASKED_KEY = 'music-share.name-asked';
export const MAX_NAME_LENGTH = 40;

export function displayName() {
  return localStorage.getItem(NAME_KEY) ?? '';
}

export function nameHeaders() {
  const name = displayName();
  return name ? { 'X-Listener-Name': encodeURIComponent(name) } : {};
}

/** Shows the form once per browser; onChange runs when a name was saved (the stream reconnects with it). */
export function askForNameOnce({ form, input, skip }, onChange) {
  input.maxLength = MAX_NAME_LENGTH;
  input.value = displayName();
  form.hidden = localStorage.getItem(ASKED_KEY) === 'yes';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = input.value.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME_LENGTH);
    if (name) localStorage.setItem(NAME_KEY, name);
    else localStorage.removeItem(NAME_KEY);
    localStorage.setItem(ASKED_KEY, 'yes');
    form.hidden = true;
    onChange(name);
  });
  skip.addEventListener('click', () => {
    localStorage.setItem(ASKED_KEY, 'yes');
    form.hidden = true;
  });
}

/** "Alice, Bob and 3 others listening" from status's listenerNames and otherListeners. */
export function listenersText(status, verb = 'listening') {
  const names = Array.isArray(status.listenerNames) ? status.listenerNames : [];
  const others = typeof status.otherListeners === 'number' ? status.otherListeners
    : Math.max(0, status.listenerCount - names.length);
  if (names.length === 0) return `${status.listenerCount} ${verb}`;
  const parts = [...names];
  if (others > 0) parts.push(`${others} other${others === 1 ? '' : 's'}`);
  const text = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `${text} ${verb}`;
}
