// The join page: checks the code's shape, keeps the token for this tab only, and opens the listener page.
import { storeToken, storedToken } from './auth.js';

const base = document.body.dataset.base;
const form = document.getElementById('join');
const code = document.getElementById('code');
const token = document.getElementById('token');
const error = document.getElementById('code-error');

token.value = storedToken() ?? '';
const fromQuery = new URLSearchParams(location.search).get('session');
if (fromQuery) code.value = fromQuery;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const id = code.value.trim();
  if (!/^[0-9]{6}$/.test(id)) {
    error.textContent = 'A session code is exactly 6 digits.';
    error.hidden = false;
    code.setAttribute('aria-invalid', 'true');
    code.focus();
    return;
  }
  storeToken(token.value.trim());
  // the listener page's own choice of codec (?codec=pcm|opus) goes along
  const codec = new URLSearchParams(location.search).get('codec');
  location.assign(`${base}listen/${id}${codec ? `?codec=${encodeURIComponent(codec)}` : ''}`);
});
