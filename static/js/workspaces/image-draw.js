// @ts-check
/**
 * The images workspace's drawing: a canvas to draw on and the network's probabilities
 * for the drawing, asked for over REST as soon as a stroke ends (not waiting for a
 * snapshot). The answer's feature maps go to the session state and the drawing becomes
 * the chosen image; a clear goes back to the last sample chosen.
 */
import { DrawCanvas } from "../widgets/draw-canvas.js";
import { ProbabilityBars } from "../widgets/probabilities.js";

const DRAW_SCALE = 8;

export class DrawPanel {
  /**
   * @param {{canvas: HTMLElement, prediction: HTMLElement}} containers
   * @param {{api: import("../api.js").Api, session: import("../session-state.js").SessionState,
   *   selection: import("../selection.js").Selection, banner: import("../status.js").Banner,
   *   stats: {drawMs: number[], lastDrawMs: number}, onAnswer: () => void}} app
   *   `stats`: the draw latencies measured (benchmarks/images_page.py reads them);
   *   `onAnswer`: the drawing's feature maps came
   */
  constructor(containers, app) {
    this.app = app;
    this.canvas = new DrawCanvas(containers.canvas, { size: 140, onStroke: (image) => this.drawn(image), onClear: () => this.undraw() });
    this.prediction = new ProbabilityBars(containers.prediction, { caption: "draw in the box" });
    /** strokes drawn and clears: the answer for an older drawing is not shown */
    this.strokes = 0;
    /** channels of the model's input */
    this.channels = 1;
  }

  /**
   * A session with other data: a clean canvas the input's size.
   * @param {number[] | null} inputShape (h, w, c) @param {boolean} newData whether the drawing goes
   */
  reset(inputShape, newData) {
    const [h, w, c] = inputShape ?? [8, 8, 1];
    this.channels = c ?? 1;
    if (newData) {
      this.strokes += 1;
      this.canvas.clear();
      this.prediction.update(null);
    }
    this.canvas.resize(h, w, DRAW_SCALE, h >= 20 ? 0.09 : 0.16);
  }

  /** A drawing for the model's input: rows of grey levels, or of grey pixels with c channels. @param {number[][]} image */
  modelImage(image) {
    const c = this.channels;
    return c === 1 ? image : image.map((row) => row.map((v) => new Array(c).fill(v)));
  }

  /** A stroke ended: classify the drawing now. @param {number[][]} image */
  async drawn(image) {
    const { api, session, selection, banner, stats } = this.app;
    const id = session.id;
    if (!id) return;
    const stroke = ++this.strokes, t0 = performance.now();
    try {
      const m = await api.view(id, "feature_maps", { image: this.modelImage(image) });
      const ms = performance.now() - t0;
      stats.lastDrawMs = ms;
      stats.drawMs.push(ms);
      if (id !== session.id || stroke !== this.strokes) return;
      this.prediction.update({ probabilities: m.probabilities, class_names: m.class_names, predicted: m.predicted });
      session.setView("feature_maps", m);
      selection.chooseImage({ image });
      this.app.onAnswer();
    } catch (e) {
      this.prediction.update(null);
      banner.show("error", `Could not classify the drawing: ${/** @type {Error} */ (e).message}`, "error");
    }
  }

  undraw() {
    const { selection } = this.app;
    this.strokes += 1;
    this.prediction.update(null);
    if ("image" in selection.image) selection.chooseImage(selection.lastSample);
  }
}
