// @ts-check
/**
 * What the user does beyond the set-up controls: add points to the plane, upload a
 * CSV file, save, load and resume sessions, and edit one weight or bias. It works on
 * the composition root's state through the `app` object main.js gives it; it holds
 * none of its own.
 */
import { csvInfo, packForLink, unpackFromLink } from "./csvlink.js";
import { describe } from "./sessions.js";
import { CSV, DRAWN, LEARNING_RATES, serialize } from "./state.js";

/** @typedef {import("./network.js").Param} Param */

const MAX_POINTS = 500;

export class Actions {
  /**
   * @param {{api: import("./api.js").Api, page: any, live: import("./controller.js").SessionController,
   *   banner: import("./status.js").Banner, change: (partial: any) => void, rebuild: () => void,
   *   showState: () => void, measureNow: () => void, view: import("./display.js").SessionView,
   *   network: import("./network.js").NetworkView, titles: () => Map<string, string>,
   *   stateOf: (spec: any) => any, isImageSpec: (spec: any) => boolean,
   *   ownData: import("./owndata.js").OwnDataPanel, sessions: import("./sessions.js").SessionsPanel}} app
   */
  constructor(app) {
    this.app = app;
    /** the losses measured at a session's step (a reset measures again) @type {{key: string, metrics?: any}} */
    this.measured = { key: "" };
  }

  /**
   * A click on the plane: in drawing mode, a new point of the picked class (class 0 for
   * a right or shift click). @param {{x: number, y: number}} p @param {boolean} secondary
   * @returns {boolean} whether the click was used
   */
  addPoint(p, secondary) {
    const { page, change, banner } = this.app;
    if (page.state.dataset !== DRAWN) return false;
    if (page.state.points.length >= MAX_POINTS) {
      banner.show("points", `At most ${MAX_POINTS} points; clear some first.`, "warn", 3000);
      return true;
    }
    const round = (/** @type {number} */ v) => Math.round(v * 100) / 100;
    change({ points: [...page.state.points, [round(p.x), round(p.y), secondary ? 0 : page.pick]] });
    return true;
  }

  /** The losses at epoch 0, before any training: measured by the server with the initial weights. */
  measureNow() {
    const { api, page, live, banner, view } = this.app;
    const id = live.id, key = `${id}@${page.step}`;
    if (!id || page.measuring) return;
    if (this.measured.key === key) {  // the stream's frames at this step carry no losses
      view.metrics(this.measured.metrics);
      return;
    }
    page.measuring = true;
    api.metricsNow(id)
      .then((m) => {
        if (live.id !== id || m.step !== page.step) return;
        this.measured = { key, metrics: m };
        view.metrics(m);
      })
      .catch((e) => banner.show("error", `Could not measure the losses: ${e.message}`, "error"))
      .finally(() => { page.measuring = false; });
  }

  /** The play button, the body's data-status, and the diverged / finished banners. @param {string} status */
  showStatus(status) {
    const { page, banner, change, live } = this.app;
    const was = page.status;
    page.status = status;
    const play = /** @type {HTMLElement} */ (document.getElementById("play"));
    play.classList.toggle("playing", status === "running");
    play.setAttribute("aria-pressed", String(status === "running"));
    play.setAttribute("aria-label", status === "running" ? "Pause" : "Play");
    document.body.dataset.status = status;
    if (was === "running" && status !== "running") this.refreshSessions();
    this.showLive();
    if (status === "diverged") {
      const lower = LEARNING_RATES.filter((r) => r < page.state.lr).pop() ?? page.state.lr / 10;
      banner.show("diverged", `Training diverged at epoch ${page.epoch.toLocaleString()}: the loss became NaN or infinite, so the server stopped with the last finite weights.`, "error", 0,
        { label: `Reset with learning rate ${lower}`, run: () => { change({ lr: lower }); live.reset(); banner.hide(); } });
    } else if (status === "finished") {
      banner.show("finished", `Finished: all ${page.spec?.epochs?.toLocaleString() ?? ""} epochs of this preset are done. Reset to watch it again, or train on.`, "ok", 0,
        { label: "Keep training", run: () => { live.set({ epochs: null }); live.play(); banner.hide(); } });
    } else if (banner.kind === "diverged" || banner.kind === "finished") banner.hide();
  }

  /** The sessions list's line for this page's session, as live as the counter. */
  showLive() {
    const { page, live, sessions } = this.app;
    sessions.showLive(live.id, page.epoch, page.status);
  }

  /** The "your points" thumbnail: the points drawn so far. @returns {import("./thumbs.js").Sample} */
  drawnSample() {
    const pts = /** @type {number[][]} */ (this.app.page.state.points);
    return { x: pts.map((q) => q[0]), y: pts.map((q) => q[1]), label: pts.map((q) => q[2]),
      regression: false, text: pts.length ? undefined : "draw" };
  }

  showOwnData() {
    const { page, ownData } = this.app;
    const s = page.state;
    const mode = s.dataset === DRAWN ? "inline" : s.dataset === CSV ? "csv" : null;
    const classes = Math.max(2, ...s.points.map((/** @type {number[]} */ q) => q[2] + 1));
    ownData.update({ mode, classes, picked: Math.min(page.pick, classes), count: mode === "csv" ? page.own.rows : s.points.length,
      file: page.own.file, columns: page.own.columns, target: page.own.target });
  }

  /** A CSV file was chosen: keep its text, offer its columns, train on the last one. @param {string} name @param {string} text */
  async loadCsv(name, text) {
    const { page } = this.app;
    page.own = csvInfo(text, name);
    this.app.banner.hide();
    await this.keepCsvInLink();
    this.app.change({ problem: page.own.classes ? "classification" : "regression" });
    window.clearTimeout(page.rebuildTimer);
    this.app.rebuild();
  }

  /**
   * The column to predict changed: class indices make a classification problem, other
   * numbers a regression (the problem type select can still say otherwise).
   * @param {string} column
   */
  pickTarget(column) {
    const { page } = this.app;
    page.own = { ...csvInfo(page.own.csv ?? "", page.own.file, column), packed: page.own.packed };
    this.app.change({ csvTarget: column, problem: page.own.classes ? "classification" : "regression" });
  }

  /** Put the CSV file in the URL, or say why it is not there. */
  async keepCsvInLink() {
    const { page, banner } = this.app;
    const { csv, file, target } = page.own;
    const packed = csv === null ? "" : await packForLink(csv).catch(() => "");
    if (csv && !packed) {
      banner.show("csv-link", `${file} is too large to keep in the page's link; “Save to file” keeps the session with its data.`, "warn", 6000);
    }
    page.own = { ...page.own, packed };
    page.state = { ...page.state, csv: packed, csvFile: file, csvTarget: target };
    history.replaceState(null, "", `#${serialize(page.state)}`);
    this.showOwnData();
  }

  /**
   * Before a set-up from a link is built: the CSV file the link carries, unpacked. A
   * link to a file it could not carry falls back to TF's first dataset, and says so.
   */
  async csvFromLink() {
    const { page, banner } = this.app;
    const s = page.state;
    if (s.dataset !== CSV || (page.own.csv && page.own.packed === s.csv)) return;
    try {
      if (!s.csv) throw new Error("the link does not carry the file (it was too large)");
      page.own = { ...csvInfo(await unpackFromLink(s.csv), s.csvFile || "(from the link)", s.csvTarget),
        packed: s.csv };
    } catch (e) {
      page.state = { ...s, dataset: "circle", csv: "" };
      history.replaceState(null, "", `#${serialize(page.state)}`);
      banner.show("csv-link", `Could not open the CSV file of this link: ${/** @type {Error} */ (e).message}. Showing the circle dataset instead.`, "warn", 8000);
    }
  }

  /** The session's name on the server: what it is, in a few words. @param {any} spec */
  describe(spec) {
    return describe(spec, this.app.titles());
  }

  async refreshSessions() {
    const { api, page, live, sessions, titles } = this.app;
    try {
      page.sessions = await api.listSessions();
    } catch (e) {
      this.app.banner.show("error", `Could not list the sessions: ${/** @type {Error} */ (e).message}`, "error");
    }
    sessions.update({ sessions: page.sessions, current: live.id, titles: titles() });
  }

  /** Delete a session of the server's list (never the one on this page). @param {any} summary */
  async deleteSession(summary) {
    try {
      await this.app.api.deleteSession(summary.id);
    } catch (e) {
      if (/** @type {any} */ (e).status !== 404) {
        this.app.banner.show("error", `Could not delete the session: ${/** @type {Error} */ (e).message}`, "error");
      }
    }
    await this.refreshSessions();
  }

  /** Show a session from the server's list here, where it stopped. @param {any} summary */
  async resume(summary) {
    const { page, live, banner } = this.app;
    const spec = summary.spec;
    window.clearTimeout(page.rebuildTimer);
    page.state = this.app.stateOf(spec);
    history.replaceState(null, "", `#${serialize(page.state)}`);
    if (this.app.isImageSpec(spec) && spec.data.dataset === DRAWN) {
      page.ownImages = { data: spec.data, info: imageInfo(spec.data), file: "(from the saved session)" };
    }
    if (spec.data.dataset === CSV) {
      page.own = csvInfo(spec.data.csv, "(from the saved session)", spec.data.targets?.[0]);
      this.keepCsvInLink();
    }
    this.app.showState();
    byIdHide("preset-note");
    try {
      await live.attach(summary);
      banner.show("resumed", `Resumed “${summary.name || this.describe(spec)}” at epoch ${summary.epoch.toLocaleString()}.`, "ok", 3000);
    } catch (e) {
      banner.show("error", `Could not resume the session: ${/** @type {Error} */ (e).message}`, "error");
    }
  }

  /** Load an exported archive as a new session on the server, and resume it. @param {File} file */
  async importFile(file) {
    const { api, banner } = this.app;
    try {
      const summary = await api.importArchive(file);
      await this.resume(summary);
    } catch (e) {
      banner.show("error", `Could not load ${file.name}: ${/** @type {Error} */ (e).message}`, "error");
    }
  }

  /**
   * Set one weight or bias: the whole list goes back with that one value changed
   * (PUT .../weights). A playing session is paused first. @param {Param} param @param {number} value
   */
  async editWeight(param, value) {
    const { api, page, live, network, banner, measureNow, view } = this.app;
    const id = live.id;
    if (!id || !page.weights) return;
    const weights = structuredClone(page.weights);
    const layer = weights[view.folded()[param.layer]?.dense ?? param.layer];
    if (param.kind === "bias") layer.b[param.j] = value; else layer.W[param.i][param.j] = value;
    if (page.status === "running") live.pause();
    for (let attempt = 0; ; attempt++) {
      try {
        await api.putWeights(id, weights);
        break;
      } catch (e) {
        const err = /** @type {any} */ (e);
        if (err.status === 409 && attempt < 20) { await new Promise((r) => setTimeout(r, 100)); continue; }
        banner.show("error", `Could not set the value: ${err.message}`, "error");
        return;
      }
    }
    page.weights = weights;
    network.update({ weights: view.drawnWeights(weights) });
    live.refresh();
    api.metricsNow(id).then((m) => { if (live.id === id) this.app.view.metrics(m); }).catch(() => measureNow());
  }
}

/**
 * What an upload's info says, read back from a spec's inline image data.
 * @param {any} data @returns {{n: number, shape: number[], classes: number}}
 */
function imageInfo(data) {
  const shape = Array.isArray(data.X?.shape) ? data.X.shape : [];
  const labels = (data.y ?? []).map((/** @type {any} */ v) => Number(Array.isArray(v) ? v[0] : v));
  return { n: shape[0] ?? labels.length, shape: shape.slice(1), classes: Math.max(2, ...labels.map((/** @type {number} */ v) => v + 1)) };
}

/** @param {string} id */
function byIdHide(id) {
  const node = document.getElementById(id);
  if (node) node.hidden = true;
}
