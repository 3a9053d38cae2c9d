// @ts-check
/**
 * The text the model writes, for the text workspace: the prime, temperature and
 * "Write again" controls and the sampled text. A change of those is written by a
 * websocket `sample` request and shown as its `sample_text` pieces stream in (those of
 * an older request are dropped); while training, each snapshot brings the text written
 * at its step (a shorter one, so that it comes ten and more times a second). It knows
 * what the text shown was written from, so a snapshot asks for it only when it is out
 * of date. The stream in progress and that record are its own state.
 */
import { SampleControls } from "../widgets/sample-controls.js";
import { SampledText } from "../widgets/sampled-text.js";

/** Characters the model writes for each sample (about 20 ms of the server's time). */
const SAMPLE_LENGTH = 300;
/** While training, fewer (about 13 ms): a new text at every snapshot, ten and more a second. */
const TRAINING_LENGTH = 200;
/** A text streaming for longer than this (ms) has lost its frames (a dropped connection). */
const STREAM_STALE_MS = 5000;

/**
 * @typedef {{prime: string | null, temperature: number, length: number, seed: number}} SampleRequest
 *   the sample_text view's parameters
 * @typedef {import("../widgets/sampled-text.js").Sample} Sample
 */

export class TextWriting {
  /**
   * @param {{controls: HTMLElement, text: HTMLElement}} parts
   * @param {{session: import("../session-state.js").SessionState, live: import("../controller.js").SessionController,
   *   stats: {sampleFrames: number}}} app `stats.sampleFrames` counts the new texts (or pieces of one) drawn
   */
  constructor(parts, app) {
    this.app = app;
    this.controls = new SampleControls(parts.controls, { onChange: () => this.write() });
    this.sampled = new SampledText(parts.text);
    /** whether the session's model can write (it offers the sample_text view) */
    this.offered = false;
    /**
     * the text being streamed: its `sample` request's id and parameters, what has come of
     * it, and when it was asked for
     * @type {{id: number, params: SampleRequest, sample: Sample | null, at: number} | null}
     */
    this.stream = null;
    /** what the text shown was written from: the session's step and the parameters asked with */
    this.written = { step: -1, key: "" };
    /** the parameters of the sample_text view the snapshot on its way asks for */
    this.asked = "";
  }

  /** Another session (or none): no text, nothing streaming. @param {boolean} offered @param {string} note shown instead */
  reset(offered, note) {
    this.offered = offered;
    this.stream = null;
    this.written = { step: -1, key: "" };
    this.sampled.update(null, note);
    this.sampled.showError("");
  }

  /** What the model is asked to write with: the controls' prime, temperature and seed. @param {number} [length] */
  params(length = SAMPLE_LENGTH) {
    const p = this.controls.params;
    return /** @type {SampleRequest} */ ({ prime: p.prime || null, temperature: p.temperature, length, seed: p.seed });
  }

  /**
   * The sample_text view a snapshot should ask for: the text at this step with these
   * parameters, unless it is shown already or one is streaming. @returns {SampleRequest | null}
   */
  request() {
    const { session } = this.app;
    if (this.stream && performance.now() - this.stream.at > STREAM_STALE_MS) this.stream = null;  // its frames were lost
    const p = this.params(session.status === "running" ? TRAINING_LENGTH : SAMPLE_LENGTH);
    const key = JSON.stringify(p);
    if (!this.offered || this.stream || (this.written.step === session.step && this.written.key === key)) return null;
    this.asked = key;
    return p;
  }

  /** A snapshot brought the text written at `step` (dropped while one streams). @param {number} step @param {Sample} view */
  snapshot(step, view) {
    if (this.stream) return;
    this.written = { step, key: this.asked };
    if (this.sampled.update(view)) this.app.stats.sampleFrames += 1;
  }

  /** The prime, the temperature or the seed changed: the model writes again, streamed. */
  write() {
    const { session, live } = this.app;
    if (session.id && this.offered) {
      const params = this.params();
      this.stream = { id: live.sample(params), params, sample: null, at: performance.now() };
    }
    live.refresh();  // the next character's distribution after the new prime
  }

  /**
   * A piece of the text streaming (a `sample_text` frame), or why it cannot be written
   * (an `error` frame with the request's id); those of an older request are dropped.
   * @param {any} frame
   */
  piece(frame) {
    const s = this.stream;
    if (!s || frame.id !== s.id) return;
    if (frame.type === "error") {
      this.stream = null;
      this.written = { step: this.app.session.step, key: JSON.stringify(s.params) };
      this.sampled.showError(frame.message);
      return;
    }
    const was = s.sample ?? { prime: frame.prime, temperature: s.params.temperature, text: "", probabilities: [], top: [] };
    s.sample = { ...was, text: was.text + frame.text, probabilities: [...was.probabilities, ...frame.probabilities],
      top: [...was.top, ...frame.top] };
    if (this.sampled.update(s.sample)) this.app.stats.sampleFrames += 1;
    if (frame.done) {
      this.stream = null;
      this.written = { step: frame.step, key: JSON.stringify(s.params) };
      this.sampled.showError("");
    }
  }

  /** A problem with the text asked for (a prime of characters the corpus lacks). @param {string} message */
  showError(message) { this.sampled.showError(message); }
}
