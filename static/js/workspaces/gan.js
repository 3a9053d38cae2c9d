// @ts-check
/**
 * The GAN workspace, for any session with "objective": "adversarial": for 2-D data GAN
 * Lab's picture of the plane (the discriminator's heatmap, real and generated samples,
 * the generator's manifold and gradients), live; for images a grid of samples from
 * fixed noise, the same at every step so that it sharpens as it trains, and a walk
 * between two noise vectors; the numbers and the chart of both losses and of D's
 * outputs; the GAN's own controls (loss, steps a round, noise); and the generator's and
 * the discriminator's layer cards. It shows step D and step G beside play
 * (transport.js sends them), and the step button steps a round.
 * The composition root of these widgets: it asks the server for every view it shows
 * (in the websocket's snapshots) and never computes one.
 */
import { DRAWN_GAN_VIEW, encodeStack, ganStacks, isGenerative } from "../gan-state.js";
import { decodeArray } from "../grids.js";
import { presetBase } from "../spec.js";
import { DRAWN } from "../state.js";
import { GanChart } from "../widgets/gan-chart.js";
import { GanControls } from "../widgets/gan-controls.js";
import { GanNumbers } from "../widgets/gan-numbers.js";
import { GanPlane } from "../widgets/gan-plane.js";
import { SampleAtlas } from "../widgets/sample-atlas.js";
import { GanNetworks } from "./gan-networks.js";

/** The plane's view: D on a resolution² grid, the real samples (once a session), fixed-noise fakes, the noise grid's cells. */
const PLANE = { resolution: 40, real: 600, fake: 300, manifold: 20 };
/** The most points drawn (the 2-D playground's limit too). */
const MAX_POINTS = 500;
/** The fixed-noise grid of images, and the walk between two noise vectors. */
const GRID = { rows: 8, cols: 8, seed: 0 };
const WALK = { steps: 10, seed: 1 };
const STEP_TITLES = { round: ["Step: one round, the discriminator's steps then the generator's (right arrow)", "Step one round"] };
const HINTS = {
  plane: "Real samples in green, the generator's in purple (from the same noise at every step), over the discriminator's "
    + "verdict: green where it says real, purple where it says fake. The arrows show where the generator pushes its "
    + "samples; the grid is where it sends a square of noise. Step D, step G or play.",
  drawing: "Click the plane to add real samples (green): the GAN learns the points you draw.",
  images: "Samples from the same 64 noise vectors at every step: watch them sharpen. Hover one for the discriminator's verdict.",
};

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @typedef {import("./images.js").Shell} Shell */

export class GanWorkspace {
  /** @param {HTMLElement} root @param {Shell} shell */
  constructor(root, shell) {
    this.root = root;
    this.shell = shell;
    const part = (/** @type {string} */ name) => /** @type {HTMLElement} */ (root.querySelector(`[data-part=${name}]`));
    /** @type {Set<string>} the views the session offers */ this.views = new Set();
    /** Redraws, read as window.__ganStats (benchmarks/gan_page.py) */
    this.stats = { planeFrames: 0, sampleFrames: 0 };
    /** @type {any} */ (window).__ganStats = this.stats;
    this.plane = new GanPlane(part("plane"), { size: 420, onDraw: () => { this.stats.planeFrames += 1; },
      onClick: (p) => this.addPoint(p) });
    this.grid = new SampleAtlas(part("samples"), { scale: 5, title: "Samples from fixed noise: hover one for D's verdict" });
    this.walk = new SampleAtlas(part("walk"), { scale: 5, title: "From one noise vector to another, in ten steps" });
    this.numbers = new GanNumbers(part("numbers"));
    this.chart = new GanChart(part("chart"), { height: 150 });
    this.controls = new GanControls(part("controls"), { onChange: (partial) => shell.change(partial) });
    this.networks = new GanNetworks(root, {
      onStack: (net, layers) => shell.change({ [net]: encodeStack(layers, shell.offer.catalog) }) });
    this.blocks = { plane: part("plane-block"), images: part("images-block"), hint: part("hint") };
    /** whether the next snapshot is to bring the real samples (they change with the session only) */
    this.needReal = true;
    /** the step last charted: a smaller one is a reset */
    this.step = 0;
    /** how many modes the data's mixture has (null: not a mixture) */ this.modes = /** @type {number | null} */ (null);
    shell.session.subscribe((what) => {
      if (what === "progress" && shell.session.step < this.step) this.wentBack();
    });
  }

  /** @param {import("../layers.js").Catalog} catalog */
  setCatalog(catalog) {
    this.networks.setCatalog(catalog);
  }

  /** @param {boolean} on */
  open(on) {
    this.root.hidden = !on;
    for (const id of ["step-d", "step-g"]) byId(id).hidden = !on;
    const step = byId("step");
    if (on && !step.dataset.epochTitle) {
      step.dataset.epochTitle = step.title;
      step.dataset.epochLabel = step.getAttribute("aria-label") ?? "";
      [step.title] = STEP_TITLES.round;
      step.setAttribute("aria-label", STEP_TITLES.round[1]);
    } else if (!on && step.dataset.epochTitle) {
      step.title = step.dataset.epochTitle;
      step.setAttribute("aria-label", step.dataset.epochLabel ?? "");
      delete step.dataset.epochTitle;
    }
  }

  /** A click on the plane while drawing: a new real sample there. @param {{x: number, y: number}} p */
  addPoint(p) {
    const { setup, banner, change } = this.shell;
    const points = setup.state.points;
    if (setup.state.dataset !== DRAWN) return;
    if (points.length >= MAX_POINTS) { banner.show("points", `At most ${MAX_POINTS} points; clear some first.`, "warn", 3000); return; }
    const round = (/** @type {number} */ v) => Math.round(v * 100) / 100;
    change({ points: [...points, [round(p.x), round(p.y), 0]] });
  }

  /** The state changed: the GAN's controls and its networks' cards. @param {import("../state.js").State} s */
  showState(s) {
    if (this.root.hidden) return;
    const drawing = s.dataset === DRAWN;
    this.plane.setDrawing(drawing ? { view: /** @type {[number, number]} */ ([...DRAWN_GAN_VIEW]), points: s.points } : null);
    if (drawing) {  // the plane to draw on, before any session
      this.blocks.plane.hidden = false;
      this.blocks.images.hidden = true;
      this.blocks.hint.textContent = HINTS.drawing;
    }
    const { offer, setup, session } = this.shell;
    const gan = /** @type {any} */ (offer.catalog)?.gan ?? {};
    this.controls.update({ losses: gan.losses ?? [s.ganLoss], distributions: gan.noise_distributions ?? [s.noiseDist],
      maxSteps: gan.max_steps_per_round ?? 100, maxNoise: gan.max_noise_dim ?? 4096, ...s });
    const shape = setup.inputShape();
    const stacks = ganStacks(s, presetBase(s, setup.preset()?.spec), shape);
    this.networks.update({ stacks, info: session.summary?.layers ?? null, noiseDim: s.noiseDim, sample: shape });
  }

  /** What a session needs before it is shown: its views and its history by step. @param {any} summary */
  async load(summary) {
    const api = this.shell.api;
    const [views, history] = await Promise.all([api.views(summary.id), api.history(summary.id, "step")]);
    return { views, history };
  }

  /** The session state holds a new session: show it. @param {{views: any[], history: any}} loaded */
  show(loaded) {
    const { session, offer, live } = this.shell;
    this.views = new Set(loaded.views.map((v) => v.name));
    const plane = this.views.has("gan_plane"), images = this.views.has("gan_samples");
    this.blocks.plane.hidden = !plane;
    this.blocks.images.hidden = !images;
    this.blocks.hint.textContent = plane ? HINTS.plane : images ? HINTS.images : "";
    const described = offer.dataset(session.spec.data.dataset);
    this.modes = isGenerative(described) && described?.classes ? described.classes : null;
    this.needReal = true;
    delete this.root.dataset.frameStep;
    this.plane.update(null);
    this.grid.update(null);
    this.walk.update(null);
    this.chart.load(loaded.history.step);
    this.step = session.step;
    this.numbers.update({ metrics: null, modes: this.modes });
    this.networks.building(false);
    this.showState(this.shell.setup.state);
    live.refresh();
  }

  /** No session (the stacks were refused). */
  empty() {
    delete this.root.dataset.frameStep;
    this.plane.update(null);
    this.grid.update(null);
    this.walk.update(null);
    this.chart.clear();
    this.numbers.update({ metrics: null, modes: null });
    this.networks.building(false);
    this.showState(this.shell.setup.state);
  }

  /** A session is being made from `spec`. @param {any} spec */
  building(spec) {
    if (spec) this.networks.building(true);
  }

  /** The session could not be made: a refused layer's message goes on its card. @param {any} e @returns {boolean} */
  failed(e) {
    this.networks.building(false);
    this.empty();
    return this.networks.showError(e);
  }

  /** The session went back (a reset): its chart and numbers start again. */
  wentBack() {
    this.step = this.shell.session.step;
    this.chart.clear();
    this.numbers.update({ metrics: null, modes: this.modes });
  }

  /** A metrics frame (or the losses measured at step 0). @param {any} m */
  metrics(m) {
    if (m.step < this.step) this.wentBack();
    this.step = m.step;
    this.numbers.update({ metrics: m, modes: this.modes });
    if (m.d_loss !== null && m.d_loss !== undefined || m.g_loss !== null && m.g_loss !== undefined) this.chart.push(m.step, m);
  }

  /** The snapshot this workspace draws: the plane, or the sample grid and the walk. */
  snapshotRequest() {
    const { session } = this.shell;
    if (!session.id) return null;
    /** @type {Record<string, any>} */
    const views = {};
    if (this.views.has("gan_plane")) views.gan_plane = { ...PLANE, real: this.needReal ? PLANE.real : 0 };
    if (this.views.has("gan_samples")) {
      views.gan_samples = GRID;
      const normal = session.spec?.noise?.distribution === "normal";
      if (this.views.has("interpolate")) views.interpolate = { ...WALK, path: normal ? "spherical" : "linear" };
    }
    return { weights: false, encoding: "base64", views };
  }

  /** A snapshot arrived. @param {any} frame */
  snapshot(frame) {
    const v = frame.views ?? {};
    if (v.gan_plane) this.showPlane(v.gan_plane);
    if (v.gan_samples) {
      const g = v.gan_samples;
      this.grid.update({ images: decodeArray(g.images), cols: g.cols, verdicts: g.d_output });
      this.stats.sampleFrames += 1;
    }
    if (v.interpolate && this.views.has("gan_samples")) {
      const w = v.interpolate;
      this.walk.update({ images: decodeArray(w.samples), cols: w.t.length, verdicts: w.d_output,
        names: w.t.map((/** @type {number} */ t) => `t = ${t.toFixed(2)} of the way`) });
    }
    if (frame.view_errors) console.warn("views:", frame.view_errors);
    this.root.dataset.frameStep = String(frame.step);  // what the tests wait on: the step drawn
    // while it plays (thousands of rounds a second) the next snapshot is of later steps: asked
    // for at the controller's pace, not only once a metrics frame has said the step moved
    if (this.shell.session.status === "running") this.shell.live.refresh();
  }

  /** @param {any} p the gan_plane view */
  showPlane(p) {
    const real = p.real ? decodeArray(p.real) : undefined;
    if (real && real.shape[0]) this.needReal = false;
    this.plane.update({ view: p.view, real, fake: decodeArray(p.fake), gradients: decodeArray(p.gradients),
      discriminator: decodeArray(p.discriminator.output),
      manifold: { cells: p.manifold.cells, points: decodeArray(p.manifold.points) } });
  }
}
