// @ts-check
/**
 * The live session as the page knows it: its summary and spec, its status, how far it
 * has trained, the points it trains on (2-D and table data) and the newest things the
 * server sent of it (the snapshot, the weights, each view). This class is its one
 * owner: the shell feeds it what the websocket and REST answers say, through its
 * methods, and the subscribers hear what changed:
 *   "session" (another session, or none), "spec", "progress" (step and epoch),
 *   "status" (with the status before), "snapshot", "weights", "views".
 */
import { Observable } from "./observable.js";

/** @typedef {"session" | "spec" | "progress" | "status" | "snapshot" | "weights" | "views"} SessionChange */

/** @extends {Observable<SessionChange>} */
export class SessionState extends Observable {
  constructor() {
    super();
    /** @type {any} the server's summary of the session shown (null: none) */ this.summary = null;
    /** @type {any} */ this.spec = null;
    this.status = "ready";
    this.step = 0;
    this.epoch = 0;
    /** @type {import("./datasource.js").SessionPoints | null} */ this.points = null;
    /** @type {any[] | null} every layer's weights, as the newest snapshot (or an edit) had them */ this.weights = null;
    /** @type {any} the newest snapshot */ this.frame = null;
    /** @type {Record<string, any>} the newest of each view the snapshots (or REST) brought */ this.views = {};
  }

  /** @returns {string | null} */
  get id() {
    return this.summary?.id ?? null;
  }

  /**
   * Another session is shown: nothing of the old one is kept.
   * @param {any} summary @param {import("./datasource.js").SessionPoints | null} points its points, for 2-D and table data
   */
  begin(summary, points) {
    this.summary = summary;
    this.spec = summary.spec;
    this.step = summary.step;
    this.epoch = summary.epoch;
    this.points = points;
    this.forget();
    this.notify("session");
  }

  /** No session (no data yet, or the server refused the set-up). */
  end() {
    this.summary = this.spec = this.points = null;
    this.step = this.epoch = 0;
    this.forget();
    this.notify("session");
  }

  forget() {
    this.weights = this.frame = null;
    this.views = {};
  }

  /** The spec changed on the server (a preset's epoch limit lifted, a live change). @param {any} spec */
  setSpec(spec) {
    this.spec = spec;
    this.notify("spec");
  }

  /**
   * How far it has trained, from a frame. @param {number} step @param {number} [epoch]
   * @returns {boolean} whether it went back (a reset)
   */
  progress(step, epoch) {
    const back = step < this.step;
    this.step = step;
    if (epoch !== undefined) this.epoch = epoch;
    this.notify("progress");
    return back;
  }

  /** @param {string} status ready, running, paused, finished or diverged */
  setStatus(status) {
    const was = this.status;
    this.status = status;
    this.notify("status", was);
  }

  /** A snapshot arrived: the newest frame, its weights and views kept. @param {any} frame */
  snapshot(frame) {
    this.frame = frame;
    if (frame.weights) this.weights = frame.weights;
    if (frame.views) this.views = { ...this.views, ...frame.views };
    this.notify("snapshot");
  }

  /** The weights as set by an edit on the page. @param {any[]} weights */
  setWeights(weights) {
    this.weights = weights;
    this.notify("weights");
  }

  /** A view answered over REST (the feature maps of a drawing). @param {string} name @param {any} value */
  setView(name, value) {
    this.views = { ...this.views, [name]: value };
    this.notify("views");
  }
}
