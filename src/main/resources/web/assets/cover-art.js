// The cover art: fetched with the page's own headers (the token is never put in an image URL), shown as a blob URL,
// fetched again only when the metadata names a new version.

export class CoverArt {
  /**
   * @param base     the server's path prefix
   * @param headers  () => the page's request headers
   * @param onChange (objectUrl or null) => void: a new cover to show
   */
  constructor({ base, headers, onChange }) {
    this.base = base;
    this.headers = headers;
    this.onChange = onChange;
    this.objectUrl = null;
    this.version = null;
  }

  /** The metadata's thumbnailUrl (with its ?v= version), or null for none. */
  async show(url) {
    const version = url && new URL(url, location.origin).searchParams.get('v');
    if (version === this.version) return;
    this.version = version;
    if (!url) return this.#set(null);
    try {
      const response = await fetch(this.base + url.replace(/^\//, ''), { headers: this.headers() });
      if (!response.ok || this.version !== version) return;
      this.#set(URL.createObjectURL(await response.blob()));
    } catch {
      this.version = null; // try again with the next metadata
    }
  }

  #set(objectUrl) {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = objectUrl;
    this.onChange(objectUrl);
  }
}
