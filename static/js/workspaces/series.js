// @ts-check
/**
 * The series workspace: the series with its held-out test part shaded, the one-step
 * and the free-running forecasts over it, live, and how they score (MASE against the
 * seasonal-naive forecast); for a window chosen on the chart (click a step) the hidden
 * states and gates over time and the gradient's norm at each step (recurrent.js); and
 * the network's layer cards.
 * The composition root of these widgets: it asks the server for every view it shows
 * (in the websocket's snapshots) and never computes one. The chosen window is its own
 * state.
 */
import { ForecastChart } from "../widgets/forecast-chart.js";
import { RecurrentParts } from "./recurrent.js";

/** While training, the forecasts and the gradient come at most this often (ms). */
const HEAVY_MS = 300;

/**
 * @typedef {import("./images.js").Shell} Shell
 * @typedef {import("./recurrent.js").Window} Window
 */

export class SeriesWorkspace {
  /** @param {HTMLElement} root @param {Shell} shell */
  constructor(root, shell) {
    this.root = root;
    this.shell = shell;
    const part = (/** @type {string} */ name) => /** @type {HTMLElement} */ (root.querySelector(`[data-part=${name}]`));
    /** @type {Set<string>} the views the session offers */ this.views = new Set();
    /** @type {Window} */ this.chosen = { split: "train", sample: 0 };
    this.data = "";
    this.heavyAt = 0;
    this.heavyNow = false;
    /** how the series is cut: steps a window reads and forecasts, where the test part starts, its length */
    this.shape = { input: 1, horizon: 1, split: 0, n: 0 };
    this.chart = new ForecastChart(part("forecast"), { height: 220, onPick: (t) => this.pick(t) });
    this.score = part("score");
    this.windowNote = part("window-note");
    this.parts = new RecurrentParts(root, { ...shell, onPosition: () => this.askAgain() });
  }

  /** @param {import("../layers.js").Catalog} catalog */
  setCatalog(catalog) { this.parts.setCatalog(catalog); }

  /** @param {boolean} on */
  open(on) {
    this.root.hidden = !on;
    if (on) this.shell.metrics.moveTo(/** @type {HTMLElement} */ (this.root.querySelector("[data-slot=metrics]")));
  }

  /** The state changed: the stack its cards show. @param {import("../state.js").State} _s */
  showState(_s) {
    if (this.root.hidden) return;
    const summary = this.shell.session.summary;
    this.parts.showStack(summary, summary ? [this.shape.input, 1] : null);
  }

  /** What a session needs before it is shown: its views. @param {any} summary */
  async load(summary) {
    return { views: await this.shell.api.views(summary.id) };
  }

  /** The session state holds a new session: show it. @param {{views: any[]}} loaded */
  show(loaded) {
    const { session, live } = this.shell;
    this.views = new Set(loaded.views.map((v) => v.name));
    const data = JSON.stringify({ ...session.spec.data, shuffle: undefined });
    if (data !== this.data) this.chosen = { split: "train", sample: 0 };
    this.data = data;
    const params = session.spec.data.params ?? {};
    this.shape = { ...this.shape, input: params.input_length ?? 1, horizon: params.horizon ?? 1 };
    delete this.root.dataset.frameStep;
    this.chart.update({ forecast: null, window: null });
    this.score.textContent = "";
    this.parts.clear();
    this.parts.building(false);
    this.showWindow();
    this.showState(this.shell.setup.state);
    this.heavyNow = true;
    live.refresh();
  }

  /** No session (the stack was refused). */
  empty() {
    delete this.root.dataset.frameStep;
    this.chart.update({ forecast: null, window: null });
    this.score.textContent = "";
    this.windowNote.textContent = "";
    this.parts.clear();
    this.parts.building(false);
    this.showState(this.shell.setup.state);
  }

  /** A session is being made from `spec`. @param {any} spec */
  building(spec) {
    if (spec) this.parts.building(true);
  }

  /** The session could not be made. @param {any} e an ApiError @returns {boolean} whether it was shown here */
  failed(e) {
    if (!this.parts.failed(e)) return false;
    this.shell.metrics.clear();
    this.empty();
    return true;
  }

  /** The snapshot this workspace draws: the forecasts and the gradient at most every HEAVY_MS while training. */
  snapshotRequest() {
    const { session } = this.shell;
    if (!session.id) return null;
    const now = performance.now();
    const heavy = this.heavyNow || now - this.heavyAt >= HEAVY_MS || session.status !== "running";
    if (heavy) { this.heavyAt = now; this.heavyNow = false; }
    const views = this.parts.request(this.views, this.chosen, heavy);
    if (heavy && this.views.has("forecast")) views.forecast = {};
    return { weights: false, encoding: "base64", views };
  }

  /** A snapshot arrived. @param {any} frame */
  snapshot(frame) {
    const v = frame.views ?? {};
    if (v.forecast) this.showForecast(v.forecast);
    this.parts.update(v, this.views);
    if (frame.view_errors) console.warn("views:", frame.view_errors);
    this.root.dataset.frameStep = String(frame.step);  // what the tests wait on: the step drawn
  }

  /** @param {any} f the forecast view */
  showForecast(f) {
    this.shape = { ...this.shape, horizon: f.horizon, split: f.split, n: f.values.length };
    this.chart.update({ forecast: f, window: this.mark() });
    this.score.textContent = scoreText(f);
  }

  /** The chosen window on the chart: the steps it reads and those it forecasts. */
  mark() {
    const { input, horizon, split } = this.shape, c = this.chosen;
    const to = c.split === "train" ? c.sample + input : split + c.sample;
    return { from: to - input, to, until: to + horizon };
  }

  /** A step clicked: the window whose forecast starts there (or the nearest one). @param {number} t */
  pick(t) {
    const { input, horizon, split, n } = this.shape;
    const trainWindows = split - horizon + 1 - input, testWindows = n - horizon + 1 - split;
    const clamp = (/** @type {number} */ k, /** @type {number} */ count) => Math.max(0, Math.min(count - 1, k));
    this.chosen = t >= split && testWindows > 0 ? { split: "test", sample: clamp(t - split, testWindows) }
      : { split: "train", sample: clamp(t - input, Math.max(1, trainWindows)) };
    this.chart.update({ window: this.mark() });
    this.showWindow();
    this.askAgain();
  }

  showWindow() {
    const c = this.chosen, m = this.mark();
    this.windowNote.textContent = `${c.split === "train" ? "training" : "test"} window ${c.sample.toLocaleString()}: reads steps ${m.from}–${m.to - 1}, forecasts ${m.to}–${m.until - 1}`;
  }

  /** The gradient's loss changed: ask again now. */
  askAgain() {
    this.heavyNow = true;
    this.shell.live.refresh();
  }
}

/** MASE of the model and of the seasonal-naive forecast, in words. @param {any} f */
function scoreText(f) {
  if (f.mase === null || f.mase === undefined) return "MASE: not available (the test part is shorter than a season, or empty).";
  const naive = f.naive_mase;
  const than = naive === null || naive === undefined ? ""
    : ` · seasonal naive (the value one season of ${f.season} steps before): ${score(naive)}, so the network is ${f.mase < naive ? "better" : "worse"}`;
  return `MASE on the test windows, ${f.horizon} steps ahead: ${score(f.mase)}${than}. (1: as far off as the seasonal-naive forecast is on the training part; lower is better.)`;
}

/** @param {number} v */
function score(v) {
  return v >= 1000 ? v.toExponential(2) : v.toFixed(3);
}
