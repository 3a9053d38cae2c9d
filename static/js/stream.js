// @ts-check
/**
 * The websocket to one session (/api/sessions/{id}/stream), reconnecting by itself
 * with a growing delay (0.5 s to 5 s) when the connection drops. Messages sent while
 * a connection is being opened wait for it (a click on play just after a session is
 * made must not be lost); messages sent while it is down are dropped, and the page
 * re-synchronises from the status frame the server sends on every connect.
 */

/** Messages kept while connecting; more than a user can click in that time. */
const OUTBOX_LIMIT = 32;

/**
 * @typedef {{onMessage: (msg: any) => void, onOpen: () => void,
 *            onDown: (attempt: number, code: number) => void, onGone: () => void}} StreamHandlers
 */

export class Stream {
  /** @param {string} url @param {StreamHandlers} handlers */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.attempt = 0;
    this.closed = false;
    /** @type {WebSocket | null} */ this.socket = null;
    /** @type {number | undefined} */ this.timer = undefined;
    /** @type {string[]} */ this.outbox = [];
    this.connect();
  }

  get open() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  connect() {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      for (const text of this.outbox.splice(0)) socket.send(text);
      this.handlers.onOpen();
    };
    socket.onmessage = (event) => this.handlers.onMessage(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (this.closed || socket !== this.socket) return;
      if (event.code === 4404 || event.code === 1000) {
        this.handlers.onGone();  // the session no longer exists (deleted, or unknown)
        return;
      }
      this.outbox = [];
      this.attempt += 1;
      this.handlers.onDown(this.attempt, event.code);
      const delay = Math.min(5000, 500 * 2 ** (this.attempt - 1));
      this.timer = window.setTimeout(() => this.connect(), delay);
    };
  }

  /** Send now, or once the connection being opened is up; false if it is down. @param {object} message */
  send(message) {
    const socket = this.socket;
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
      return true;
    }
    if (socket?.readyState === WebSocket.CONNECTING && this.outbox.length < OUTBOX_LIMIT) {
      this.outbox.push(JSON.stringify(message));
      return true;
    }
    return false;
  }

  close() {
    this.closed = true;
    window.clearTimeout(this.timer);
    this.socket?.close();
  }
}
