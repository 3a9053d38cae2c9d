// @ts-check
/**
 * The app shell and composition root. It makes the page's state owners, each the one
 * writer of its part: offer.js (what the server offers, read once), urlstate.js (the
 * set-up, kept in the URL), session-state.js (the live session) and selection.js (what
 * the user picked out to look at); then the connection to the session, the top bar,
 * the data column and the sessions panel, and the workspace the dataset's modality
 * picks (workspaces/points.js for points and tables, workspaces/images.js for images,
 * workspaces/text.js for text, workspaces/series.js for series), or for an autoencoder
 * of any data workspaces/autoencoder.js, for a GAN workspaces/gan.js.
 * Here the set-up becomes a session (`change`, `rebuild`, `resume`) and the websocket's
 * frames go to the session state; every other module reads the owners and asks them
 * for changes.
 */
import { Actions } from "./actions.js";
import { Api } from "./api.js";
import { SessionController } from "./controller.js";
import { Controls } from "./controls.js";
import { thumbnailSample } from "./datasource.js";
import { ADVERSARIAL, ganLearns, ganLiveChanges, isGenerative } from "./gan-state.js";
import { LossChart } from "./linechart.js";
import { LossMeasure } from "./measure.js";
import { MetricsDisplay } from "./metrics.js";
import { Offer } from "./offer.js";
import { Selection } from "./selection.js";
import { SessionState } from "./session-state.js";
import { describe } from "./sessions.js";
import { autoencodes } from "./changes.js";
import { lossesFor, presetBase } from "./spec.js";
import { CSV, DRAWN, IMAGES, SEQUENTIAL, deserialize } from "./state.js";
import { Banner } from "./status.js";
import { DatasetPicker } from "./thumbs.js";
import { Transport } from "./transport.js";
import { OWN_TEXT, UrlState } from "./urlstate.js";
import { UserData, pointsSample } from "./userdata.js";
import { DatasetParams } from "./widgets/dataset-params.js";
import { ObjectiveControls } from "./widgets/objective-controls.js";
import { AutoencoderWorkspace } from "./workspaces/autoencoder.js";
import { GanWorkspace } from "./workspaces/gan.js";
import { ImagesWorkspace } from "./workspaces/images.js";
import { PointsWorkspace } from "./workspaces/points.js";
import { SeriesWorkspace } from "./workspaces/series.js";
import { TextWorkspace } from "./workspaces/text.js";

/** @typedef {PointsWorkspace | ImagesWorkspace | TextWorkspace | SeriesWorkspace | AutoencoderWorkspace | GanWorkspace} Workspace */

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** The set-up keys a session takes live, without being made anew. */
const LIVE_KEYS = ["lr", "optimizer", "momentum", "beta1", "beta2", "clip", "reg", "regRate", "batch"];
/** The picker's headings, by modality. */
const GROUPS = /** @type {Record<string, string>} */ ({ points: "Points", image: "Images", text: "Text", sequence: "Series" });
/** Recurrent layers: a stack with one is offered gradient clipping. */
const RECURRENT = new Set(["rnn", "lstm", "gru"]);

const api = new Api("/api", new URLSearchParams(location.search).get("token"));
const offer = new Offer();
const setup = new UrlState(offer, location.hash);
const session = new SessionState();
const selection = new Selection();

/** Redraw counters for benchmarks/page.py (read as window.__playgroundStats). */
const stats = { outputFrames: 0, neuronFrames: 0, boundaryDraws: 0, networkDraws: 0, chartDraws: 0, chartMs: /** @type {number[]} */ ([]), chartPoints: 0 };
/** @type {any} */ (window).__playgroundStats = stats;

const banner = new Banner(byId("banner"));
const controls = new Controls(document.body, { onChange: (partial) => change(partial) });
const picker = new DatasetPicker(byId("thumbs"), { onSelect: (dataset) => change({ dataset }) });
const datasetParams = new DatasetParams(byId("dataset-params"), {
  onChange: (name, value) => change({ params: { ...setup.state.params, [name]: value } }) });
const objective = new ObjectiveControls(byId("objective-box"), { choice: byId("objective-field"),
  onChange: (partial) => change(partial) });
/** @type {Map<string, import("./thumbs.js").Sample>} each dataset's thumbnail, as the server's points arrive */
const thumbnails = new Map([[CSV, { x: [], y: [], label: [], regression: false, text: "CSV" }],
  [IMAGES, { x: [], y: [], label: [], regression: false, text: "npz" }],
  [OWN_TEXT, { x: [], y: [], label: [], regression: false, text: "txt" }]]);
const chart = new LossChart(byId("loss-chart"), { height: 70, onDraw: (ms, n) => {
  stats.chartDraws += 1;
  stats.chartPoints = n;
  if (stats.chartMs.push(ms) > 4096) stats.chartMs.splice(0, 2048);
} });
const metrics = new MetricsDisplay(byId("metrics-block"), { chart });
/** the rebuild a change asked for, a moment later (changes in a row make one session) */
let rebuildTimer = 0;

/** @type {SessionController} */
const live = new SessionController(api, {
  load: (summary) => workspaceOf(summary.spec).load(summary),
  snapshotRequest: () => current.snapshotRequest(),
  onSession(summary, loaded, history) {
    const ws = workspaceOf(summary.spec);
    session.begin(summary, ws === points ? loaded : null);
    openWorkspace(ws);
    chart.load(history.epoch);
    ws.show(loaded);
    showMetrics(summary.metrics);
    session.setStatus(summary.status);
  },
  onStatus(frame) {
    if (frame.spec) session.setSpec(frame.spec);
    if (session.progress(frame.step, frame.epoch)) wentBack();
    if (frame.epoch !== undefined) metrics.epoch(frame.epoch);
    session.setStatus(frame.status);
  },
  onMetrics(frame) {
    if (session.progress(frame.step, frame.epoch)) wentBack();
    showMetrics(frame);
    if (frame.status && frame.status !== session.status) session.setStatus(frame.status);
  },
  onSnapshot(frame) {
    session.snapshot(frame);
    current.snapshot(frame);
  },
  onSampleText(frame) {
    if (current === text) text.sampleText(frame);
  },
  onConnection(state, attempt) {
    if (state === "down") {
      banner.show("connection", `Lost the connection to the server; reconnecting (attempt ${attempt})…`, "warn");
      byId("rate").textContent = "";  // no training is seen while the connection is down
    } else if (banner.kind === "connection") {
      banner.show("reconnected", "Reconnected to the server.", "ok", 2500);
      if (live.id) api.history(live.id).then((h) => chart.load(h.epoch)).catch(() => {});
    }
  },
  onError(error) {
    banner.show("error", `Server: ${error.message}`, "error");
  },
});
const measure = new LossMeasure({ api, session, banner, onMetrics: (m) => showMetrics(m) });

const context = { api, offer, setup, session, selection, live, banner, metrics, change };
/** @type {PointsWorkspace} */
const points = new PointsWorkspace(byId("workspace-points"), { ...context, measure, stats });
/** @type {ImagesWorkspace} */
const images = new ImagesWorkspace(byId("workspace-images"), { ...context, upload: byId("own-images") });
const text = new TextWorkspace(byId("workspace-text"), { ...context, upload: byId("own-text-box") });
const series = new SeriesWorkspace(byId("workspace-series"), { ...context, upload: byId("own-text-box") });
const autoencoder = new AutoencoderWorkspace(byId("workspace-autoencoder"), { ...context, upload: byId("own-images") });
const gan = new GanWorkspace(byId("workspace-gan"), { ...context, upload: byId("own-images") });
/** @type {Record<string, Workspace>} the workspace of each modality but points and tables, the autoencoders' and the GANs' */
const workspaces = { image: images, text, sequence: series, autoencoder, gan };
/** @type {Map<Workspace, string>} each workspace's name, as body's data-workspace says it */
const names = new Map([[points, "points"], [images, "images"], [text, "text"], [series, "series"], [autoencoder, "autoencoder"],
  [gan, "gan"]]);
/** @type {Workspace} the workspace open now */
let current = points;
new Transport({ live, session, setup, banner, change });
new UserData(byId("own-data"), { setup, selection, banner, change });
new Actions(byId("sessions-panel").querySelector(".panel-body") ?? document.body, { api, offer, session, banner, resume });

setup.subscribe(() => showState());
session.subscribe((what) => {
  const body = document.body.dataset;
  if (what === "session") {
    if (session.id) body.session = session.id; else delete body.session;
  }
  const step = String(session.step);  // what the tests wait on
  if ((what === "session" || what === "progress") && body.step !== step) body.step = step;
  // a series' class names come with its first latent view (GET /api/datasets names an image set's only)
  if (what === "snapshot" && !objective.named && session.views.latent) showObjective();
});

/** @param {Workspace} ws */
function openWorkspace(ws) {
  if (ws === current && !ws.root.hidden) return;
  current = ws;
  for (const w of names.keys()) w.open(w === ws);
  document.body.dataset.workspace = names.get(ws) ?? "points";
}

/** @param {any} spec @returns {Workspace} */
function workspaceOf(spec) { return workspaces[offer.workspaceOf(spec)] ?? points; }

/** The session went back to an earlier step (a reset): its chart and first losses start again. */
function wentBack() {
  chart.clear();
  measure.forget();
}

/**
 * The user changed the set-up: the session follows, live when it can (the optimizer's
 * hyperparameters, the regularization, the batch size), else made anew a moment later
 * (`now`: at once).
 * @param {Partial<import("./state.js").State>} partial @param {{now?: boolean}} [how]
 */
function change(partial, how = {}) {
  const changed = setup.change(partial);
  const s = setup.state;
  if (how.now) { window.clearTimeout(rebuildTimer); rebuild(); return; }
  if (changed.every((k) => k === "showTest" || k === "discretize")) { points.redraw(); return; }
  const ganSet = ganLiveChanges(changed, s);  // a GAN's loss and steps a round change live
  if (ganSet && live.id) { live.set(ganSet); return; }
  if (changed.every((k) => LIVE_KEYS.includes(k)) && live.id) {
    const optimizer = /** @type {any} */ ({ type: s.optimizer, lr: s.lr });
    for (const key of /** @type {const} */ (["momentum", "beta1", "beta2"])) if (changed.includes(key)) optimizer[key] = s[key];
    // a new optimizer type starts from its defaults: the clipping the page shows goes with it
    if (changed.includes("clip") || changed.includes("optimizer")) optimizer.clip_norm = s.clip;
    live.set({ optimizer, regularization: { type: s.reg, rate: s.regRate }, batch_size: s.batch });
    return;
  }
  window.clearTimeout(rebuildTimer);
  rebuildTimer = window.setTimeout(rebuild, changed.includes("points") ? 250 : 120);
}

/** Builds the session the set-up describes; resolves once it is shown (or has failed). */
function rebuild() {
  const preset = setup.preset();
  byId("preset-note").hidden = !preset;
  byId("preset-note").textContent = preset?.description ?? "";
  const ws = workspaces[setup.workspaceKind()] ?? points;
  openWorkspace(ws);
  if (!setup.hasData()) {  // no points clicked, no file uploaded yet
    live.stop();
    session.end();
    metrics.clear();
    ws.empty();
    session.setStatus("ready");
    return;
  }
  const spec = setup.spec();
  const autoplay = session.status === "running" && setup.state.dataset === DRAWN;
  session.setStatus("ready");
  if ("building" in ws) ws.building(spec);
  return live.start(spec, { autoplay }).catch((/** @type {any} */ e) => {
    session.end();
    if ("failed" in ws && ws.failed(e)) return;
    ws.empty();
    banner.show("error", `Could not start the session: ${e.message}`, "error");
  });
}

/** Show a session of the server's (from the list, a file or the address) here, where it stopped. @param {any} summary */
async function resume(summary) {
  window.clearTimeout(rebuildTimer);
  setup.adopt(summary.spec).then((fits) => {
    if (!fits) banner.show("csv-link", "The session's CSV file is too large to keep in the page's link; “Save to file” keeps the session with its data.", "warn", 6000);
  });
  byId("preset-note").hidden = true;
  try {
    await live.attach(summary);
    banner.show("resumed", `Resumed “${summary.name || describe(summary.spec, offer.titles())}” at epoch ${summary.epoch.toLocaleString()}.`, "ok", 3000);
  } catch (e) {
    banner.show("error", `Could not resume the session: ${/** @type {Error} */ (e).message}`, "error");
  }
}

/** The controls, the picker and the workspaces' headers show the set-up. */
function showState() {
  const s = setup.state, dataset = setup.dataset(), image = setup.usesStack(), kind = setup.outputKind();
  const sequential = SEQUENTIAL.includes(setup.modality());
  controls.update(s, { twoD: dataset?.n_features === 2, fixedData: s.dataset.startsWith("course") || s.dataset === DRAWN,
    losses: lossesFor(kind, offer.catalog), classes: dataset && "classes" in dataset.params ? kind.classes : null,
    preset: presetBase(s, setup.preset()?.spec), image, gan: s.objective === ADVERSARIAL,
    // a text's or series' noise is among its own parameters
    noise: image || s.objective === ADVERSARIAL ? !sequential && Boolean(dataset && "noise" in dataset.params) : undefined,
    clip: s.clip > 0 || (image && setup.stack().some((l) => RECURRENT.has(l.type))) });
  datasetParams.update(sequential && dataset ? { params: dataset.params, values: s.params } : null);
  showObjective();
  showPicker();
  for (const w of names.keys()) w.showState(s);
}

/**
 * What the network trains for (data an autoencoder can take: images, a labelled series;
 * a GAN: images and its own distributions; the picker's GAN distributions make one of 2-D points).
 */
function showObjective() {
  const s = setup.state, dataset = setup.dataset();
  const reconstruction = autoencodes(s, offer.datasets);
  const adversarial = (ganLearns(dataset) && (setup.isImage() || isGenerative(dataset)))
    || (s.dataset === DRAWN && s.objective === ADVERSARIAL);  // a GAN of the points drawn: Classify takes them back
  if (!reconstruction && !adversarial) { objective.update(null); return; }
  const latent = session.views.latent, ofThis = session.spec?.data.dataset === s.dataset;
  const classes = setup.isImage() ? setup.imageClasses() : 0;
  const classNames = dataset?.class_names ?? (ofThis && latent ? latent.class_names
    : classes ? Array.from({ length: classes }, (_, k) => String(k)) : null);
  objective.update({ objective: s.objective, supervised: "Classify", onlyReconstruction: offer.reconstructionOnly(s.dataset),
    classNames, normal: s.normal, denoise: s.denoise, reconstruction, adversarial });
}

/** The thumbnails of the problem type's datasets, and of the user's own data. */
function showPicker() {
  const s = setup.state, classes = s.problem === "classification";
  const own = [...(classes ? [{ name: DRAWN, title: "Your points", description: "click points onto the plane and train on them" }] : []),
    { name: CSV, title: "CSV file", description: "upload your own data as a CSV file" },
    ...(classes ? [{ name: IMAGES, title: "Image files", description: "upload your own images: an .npz file (X, y) or MNIST's IDX files" },
      { name: OWN_TEXT, title: "Text file", description: "upload a .txt file and train a character model on it" }] : [])];
  thumbnails.set(DRAWN, pointsSample(s.points));
  if (s.objective === ADVERSARIAL) {  // what a GAN learns here: the GAN distributions, the points drawn, and images
    const learns = offer.pictured().filter((d) => ganLearns(d) && (isGenerative(d) || d.modality === "image"))
      .sort((a, b) => Number(isGenerative(b)) - Number(isGenerative(a)))
      .map((d) => ({ ...d, group: isGenerative(d) ? "GAN distributions" : GROUPS.image }));
    const drawn = { name: DRAWN, title: "Your points", description: "draw points on the plane: the GAN learns them",
      group: "GAN distributions" };
    const at = learns.findLastIndex((d) => d.group === "GAN distributions") + 1;  // the last of the distributions
    learns.splice(at, 0, drawn);
    picker.update({ datasets: learns, selected: s.dataset, samples: thumbnails });
    return;
  }
  // the problem type's points (a GAN distribution picked makes a GAN); every image, text and series dataset (each brings its own problem type)
  const builtIn = offer.pictured().filter((d) => d.kind === s.problem || (d.modality ?? "points") !== "points")
    .map((d) => ({ ...d, group: isGenerative(d) ? "GAN distributions" : GROUPS[d.modality ?? "points"] ?? "" }));
  picker.update({ datasets: [...builtIn, ...own.map((d) => ({ ...d, group: "Your data" }))], selected: s.dataset,
    samples: thumbnails });
}

/** @param {any} m a metrics frame, a summary's metrics or losses measured now */
function showMetrics(m) {
  metrics.update(m);
  if (current === gan) gan.metrics(m);
  const none = (/** @type {any} */ v) => v === null || v === undefined;
  if (m.step === 0 && none(m.train_loss) && none(m.d_loss)) measure.now();  // a GAN's losses are D's and G's
  live.pump();
}

/** The CSV file a link carries, unpacked before its set-up is built. */
async function csvFromLink() {
  const problem = await setup.csvFromLink();
  if (problem) banner.show("csv-link", `Could not open the CSV file of this link: ${problem}. Showing the circle dataset instead.`, "warn", 8000);
}

function wire() {
  window.addEventListener("pagehide", () => live.leave());
  window.addEventListener("pageshow", (e) => { if (e.persisted && !live.id) rebuild(); });  // back from the cache
  window.addEventListener("hashchange", async () => {
    if (setup.says(location.hash)) return;
    setup.replace(deserialize(location.hash));
    await csvFromLink();
    rebuild();
  });
}

/** Open a session given by `?session=ID` in the address: resume it here. */
async function sessionFromAddress() {
  const id = new URLSearchParams(location.search).get("session");
  if (!id) return false;
  const rest = new URLSearchParams(location.search);
  rest.delete("session");  // from here on the hash is the set-up: a reload must not go back to this session
  history.replaceState(null, "", `${location.pathname}${rest.size ? `?${rest}` : ""}${location.hash}`);
  try {
    await resume(await api.session(id));
    return true;
  } catch (e) {
    banner.show("error", `Could not open session ${id}: ${/** @type {Error} */ (e).message}`, "error");
    return false;
  }
}

async function main() {
  wire();
  const [catalog, datasets, presets, limits] = await Promise.all([api.catalog(), api.datasets(), api.presets(),
    api.limits()]);
  offer.load({ catalog, datasets, presets, limits });
  controls.setCatalog(catalog);
  controls.setPresets(presets);
  images.setCatalog(catalog);
  text.setCatalog(catalog);
  series.setCatalog(catalog);
  autoencoder.setCatalog(catalog);
  gan.setCatalog(catalog);
  await csvFromLink();
  if (setup.state.preset && !location.hash.includes("dataset=")) change({ preset: setup.state.preset });
  showState();
  if (!(await sessionFromAddress())) await rebuild();  // the session first: the thumbnails' requests would queue before it
  await Promise.all(offer.pictured().map(async (d) => {
    try {
      thumbnails.set(d.name, await thumbnailSample(api, d));
      showPicker();
    } catch (e) { console.warn(`thumbnail of ${d.name}:`, e); }
  }));
  document.body.dataset.started = "";  // everything the page asks for at start has come: tests wait on it
}

main().catch((e) => banner.show("error", `The page could not start: ${e.message}`, "error"));
