// @ts-check
/**
 * One live session seen from the page: creates it from a spec (POST /api/sessions),
 * streams it over the websocket, and keeps the snapshots coming. Snapshots are pulled,
 * not pushed: a new one is asked for as soon as the last one has arrived and the
 * session has changed, so the page redraws as fast as it can digest frames and never
 * queues them. Text the model writes on request streams back in pieces (`sample`).
 * What a snapshot holds is the open workspace's call (`snapshotRequest`):
 * the 2-D one asks for the output over a fine grid, every neuron's output over a
 * coarse one, the weights and the activations of its points; the image one for its
 * views. One request, one turn of the session's lock on the server, one message.
 */
import { decodeSnapshot } from "./grids.js";
import { Stream } from "./stream.js";

const STALE_MS = 4000;
/** At most this many snapshots a second: the redraws look smooth, and the rest of
 * the machine's time goes to training (they share the same cores). */
const SNAPSHOTS_PER_SECOND = 30;

/**
 * @typedef {{load: (summary: any) => Promise<any>, snapshotRequest: () => object | null,
 *   onSession: (summary: any, loaded: any, history: any) => void,
 *   onStatus: (frame: any) => void, onMetrics: (frame: any) => void,
 *   onSnapshot: (frame: any) => void, onSampleText: (frame: any) => void,
 *   onConnection: (state: "up" | "down", attempt: number) => void,
 *   onError: (error: {code?: string, message: string}) => void}} Handlers
 */

export class SessionController {
  /** @param {import("./api.js").Api} api @param {Handlers} handlers */
  constructor(api, handlers) {
    this.api = api;
    this.handlers = handlers;
    /** @type {{id: string, owned: boolean} | null} the session streamed, and whether the page made it */
    this.current = null;
    /** @type {Stream | null} */ this.stream = null;
    this.autoplay = false;
    this.generation = 0;
    this.step = -1;
    /**
     * the snapshot in flight (its send time, 0: none), the step of the newest one (asked
     * for, then as it came), when the last was asked for, and whether one is wanted
     * whatever the step (`refresh`)
     */
    this.snap = { inflight: 0, seen: -2, sent: 0, wanted: false };
    /** @type {number | null} a pump waiting for the snapshot pace */
    this.pumpTimer = null;
    /** the id of the last `sample` request */
    this.sampleId = 0;
  }

  /** The session streamed (the session state's, once shown). */
  get id() { return this.current?.id ?? null; }

  /**
   * Replace the session by a new one built from `spec` (see `drop` for what becomes of
   * the old one).
   * @param {object} spec @param {{autoplay?: boolean}} [how] play as soon as connected
   */
  async start(spec, how = {}) {
    const generation = ++this.generation;
    let summary;
    try {
      summary = await this.api.createSession(spec);
    } catch (e) {
      if (generation !== this.generation) return;  // a newer set-up has replaced this one
      this.stop();
      throw e;
    }
    if (generation !== this.generation) {
      this.api.deleteSession(summary.id).catch(() => {});
      return;
    }
    await this.show(summary, generation, true, how.autoplay ?? false);
  }

  /** Watch an existing session (resumed or imported); it is never deleted by the page. @param {any} summary */
  async attach(summary) {
    await this.show(summary, ++this.generation, false, false);
  }

  /**
   * @param {any} summary @param {number} generation @param {boolean} owned
   * @param {boolean} autoplay
   */
  async show(summary, generation, owned, autoplay) {
    const [loaded, history] = await Promise.all([
      this.handlers.load(summary), this.api.history(summary.id)]);
    if (generation !== this.generation) return;
    this.drop();
    this.current = { id: summary.id, owned };
    this.autoplay = autoplay;
    this.step = summary.step;
    this.snap.inflight = 0;
    this.snap.seen = -2;
    this.handlers.onSession(summary, loaded, history);
    this.connect(summary.id);
  }

  /**
   * No session: close the stream. A session the page made and never trained is deleted;
   * a trained one stays on the server, to be resumed from the sessions list.
   */
  stop() {
    this.generation += 1;
    this.drop();
  }

  /** @param {boolean} [leaving] the page is going away: the delete must outlive it */
  drop(leaving = false) {
    this.stream?.close();
    this.stream = null;
    if (this.current?.owned && this.step === 0) {
      if (leaving) this.api.forgetSession(this.current.id);
      else this.api.deleteSession(this.current.id).catch(() => {});
    }
    this.current = null;
  }

  /**
   * The page is going away (closed, reloaded, left): as `stop`, so that a tab closed
   * before training leaves no empty session in the sessions list.
   */
  leave() {
    this.generation += 1;
    this.drop(true);
  }

  /** @param {string} id */
  connect(id) {
    const url = this.api.wsUrl(`/sessions/${id}/stream?fps=30`);
    this.stream = new Stream(url, {
      onOpen: () => {
        this.handlers.onConnection("up", 0);
        this.snap.inflight = 0;
        this.snap.seen = -2;
        if (this.autoplay) this.play();
        this.autoplay = false;
        this.pump();
      },
      onDown: (attempt) => this.handlers.onConnection("down", attempt),
      onGone: () => this.handlers.onError({ code: "session_gone",
        message: "This session no longer exists on the server; change any setting to start a new one." }),
      onMessage: (msg) => this.receive(msg),
    });
  }

  /** @param {any} msg */
  receive(msg) {
    if (msg.type === "metrics") {
      this.step = msg.step;
      this.handlers.onMetrics(msg);
    } else if (msg.type === "status") {
      this.step = msg.step;
      this.handlers.onStatus(msg);
    } else if (msg.type === "snapshot") {
      decodeSnapshot(msg);
      this.snap.inflight = 0;
      // computed after it was asked for, it may be of a later step: no new one until training passes it
      if (typeof msg.step === "number") this.snap.seen = msg.step;
      this.handlers.onSnapshot(msg);
    } else if (msg.type === "sample_text" || (msg.type === "error" && msg.id !== undefined)) {
      this.handlers.onSampleText(msg);  // a piece of text asked for with `sample`, or why it cannot be written
      return;
    } else if (msg.type === "error") {
      if (msg.code === "invalid_inputs" || msg.code === "limit_exceeded") this.snap.inflight = 0;
      this.handlers.onError(msg);
    }
    this.pump();
  }

  /** Ask for a snapshot if the last one is out of date and none is on its way. */
  pump() {
    if (!this.stream?.open) return;
    const now = performance.now();
    const gap = 1000 / SNAPSHOTS_PER_SECOND;
    const k = this.snap;
    if ((k.inflight && now - k.inflight < STALE_MS) || (!k.wanted && k.seen === this.step)) return;
    if (now - k.sent < gap) {
      if (this.pumpTimer === null) {
        this.pumpTimer = setTimeout(() => { this.pumpTimer = null; this.pump(); }, gap - (now - k.sent));
      }
      return;
    }
    const message = this.handlers.snapshotRequest();
    if (!message) return;
    k.seen = this.step;
    k.wanted = false;
    k.inflight = k.sent = now;
    this.stream.send({ type: "snapshot", ...message });
  }

  /** Snapshots again even if the step has not moved (after a hover, a reconnect). */
  refresh() {
    this.snap.wanted = true;
    this.pump();
  }

  /** @param {object} message */
  send(message) {
    if (!this.stream?.send(message)) {
      this.handlers.onError({ code: "offline", message: "Not connected to the server; retrying…" });
    }
  }

  /**
   * Ask for text written by the model, streamed back in `sample_text` frames (to
   * `onSampleText`) as it is written, beside training.
   * @param {{prime: string | null, temperature: number, length: number, seed: number}} params
   * @returns {number} the request's id, which its frames carry
   */
  sample(params) {
    const id = ++this.sampleId;
    this.send({ type: "sample", params, id });
    return id;
  }

  play() { this.send({ type: "play" }); }
  pause() { this.send({ type: "pause" }); }
  stepEpoch() { this.send({ type: "step", epochs: 1 }); }
  /** One step of a GAN: a round, or one step of one network. @param {"round" | "d" | "g"} part */
  stepPart(part) { this.send({ type: "step", steps: 1, part }); }
  reset() { this.send({ type: "reset" }); }
  /** @param {object} changes live hyperparameters, as PATCH takes them */
  set(changes) { this.send({ type: "set", ...changes }); }
}
