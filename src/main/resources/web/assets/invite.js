// Inviting others from the listener page: the session's listen link with its read-only listener token (never the
// token this page was opened with, which may be the server's master token), as text to copy and as a QR code drawn
// by the server, so it works on a LAN without internet.

export class InvitePanel {
  constructor({ base, sessionId, headers, elements }) {
    this.url = `${base}api/share/${sessionId}/invite`;
    this.headers = headers;
    this.view = elements; // {button, panel, link, qr, copy, result}
    this.qrUrl = null;
    this.view.button.addEventListener('click', () => this.toggle());
    this.view.copy.addEventListener('click', () => this.copy());
  }

  async toggle() {
    if (this.closed) return;
    if (!this.view.panel.hidden) {
      this.view.panel.hidden = true;
      this.view.button.setAttribute('aria-expanded', 'false');
      return;
    }
    this.view.result.textContent = '';
    try {
      const response = await fetch(this.url, { headers: this.headers(), cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const invite = await response.json();
      if (this.closed) return; // the session ended while the invitation was on its way
      this.view.link.value = invite.listenUrl;
      const qr = await fetch(this.url + '.svg', { headers: this.headers(), cache: 'no-store' });
      if (qr.ok) {
        if (this.qrUrl) URL.revokeObjectURL(this.qrUrl);
        this.qrUrl = URL.createObjectURL(await qr.blob());
        this.view.qr.src = this.qrUrl;
      }
      this.view.panel.hidden = false;
      this.view.button.setAttribute('aria-expanded', 'true');
      this.view.link.select();
    } catch (error) {
      this.view.panel.hidden = false;
      this.view.result.textContent = `The invitation could not be fetched (${error.message}).`;
    }
  }

  /** The session is over: its link no longer works, so none is offered. */
  close() {
    this.closed = true;
    this.view.panel.hidden = true;
    this.view.button.disabled = true;
    this.view.button.setAttribute('aria-expanded', 'false');
    this.view.link.value = '';
    this.view.qr.removeAttribute('src');
    if (this.qrUrl) URL.revokeObjectURL(this.qrUrl);
    this.qrUrl = null;
  }

  /** The clipboard API needs a secure context (not plain http on a LAN): then the selected link is copied. */
  async copy() {
    const link = this.view.link.value;
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(link);
      else {
        this.view.link.select();
        if (!document.execCommand('copy')) throw new Error('copy refused');
      }
      this.view.result.textContent = 'Link copied. Anyone with it can listen to this session, and nothing else.';
    } catch {
      this.view.link.select();
      this.view.result.textContent = 'Copying was not allowed here: the link is selected, copy it by hand.';
    }
  }
}
