// @ts-check
/**
 * The text workspace: text the model writes (live while it trains) with its prime and
 * temperature, each character's alternatives on hover, and the next character's
 * distribution after the prime; the corpus cut into the windows it trains on (click
 * one to choose it); for the chosen window the hidden states and gates over time, and
 * the gradient's norm at each step (recurrent.js); the network's layer cards; and the
 * user's own .txt file to train on.
 * The composition root of these widgets: it asks the server for every view it shows
 * (in the websocket's snapshots while training, over REST for the corpus) and never
 * computes one; the text the model writes is text-writing.js's (streamed, or in the
 * snapshots). The chosen window and the corpus page shown are its own state. It counts
 * what it draws on window.__textStats (benchmarks/sequences_page.py).
 */
import { encodeLayers } from "../layers.js";
import { OWN_TEXT, TEXT_PRESET } from "../urlstate.js";
import { CharBars } from "../widgets/char-bars.js";
import { CorpusText } from "../widgets/corpus-text.js";
import { TextUpload } from "../widgets/text-upload.js";
import { RecurrentParts } from "./recurrent.js";
import { TextWriting } from "./text-writing.js";

/** While training, the gradient (a backward pass over 32 windows) comes at most this often (ms). */
const HEAVY_MS = 400;
/** Windows on a page of the corpus. */
const PAGE_WINDOWS = 24;

/**
 * @typedef {import("./images.js").Shell} Shell
 * @typedef {import("./recurrent.js").Window} Window
 */

export class TextWorkspace {
  /** @param {HTMLElement} root @param {Shell} shell `upload`: the data column's box for a .txt file */
  constructor(root, shell) {
    this.root = root;
    this.shell = shell;
    const part = (/** @type {string} */ name) => /** @type {HTMLElement} */ (root.querySelector(`[data-part=${name}]`));
    /** @type {Set<string>} the views the session offers */ this.views = new Set();
    /** @type {Window} */ this.chosen = { split: "train", sample: 0 };
    /** the data section of the session shown, to know when the corpus changed */
    this.data = "";
    this.heavyAt = 0;
    /** the next snapshot carries the gradient, however soon it comes */
    this.heavyNow = false;
    /** what was drawn (read as window.__textStats): new sampled texts (or pieces of one), new hidden-state maps */
    this.stats = /** @type {{sampleFrames: number, heatmapFrames: number}} */ ({ sampleFrames: 0, heatmapFrames: 0 });
    /** @type {any} */ (window).__textStats = this.stats;
    /** the step and window of the hidden states drawn last */
    this.heatmapKey = "";
    this.writing = new TextWriting({ controls: part("sample-controls"), text: part("sampled") },
      { session: shell.session, live: shell.live, stats: this.stats });
    this.nextChar = new CharBars(part("next-char"), { count: 12 });
    this.corpusSplit = /** @type {HTMLSelectElement} */ (part("corpus-split"));
    this.corpusSplit.addEventListener("change", () => this.page(0));
    this.corpus = new CorpusText(part("corpus"), { pageWindows: PAGE_WINDOWS, onPick: (k) => this.choose(k),
      onPage: (start) => this.page(start) });
    this.windowNote = part("window-note");
    this.parts = new RecurrentParts(root, { ...shell, onPosition: () => this.askAgain() });
    this.upload = new TextUpload(shell.upload, { onUpload: (file, name) => this.uploaded(file, name) });
  }

  /** @param {import("../layers.js").Catalog} catalog */
  setCatalog(catalog) { this.parts.setCatalog(catalog); }

  /** @param {boolean} on */
  open(on) {
    this.root.hidden = !on;
    if (on) this.shell.metrics.moveTo(/** @type {HTMLElement} */ (this.root.querySelector("[data-slot=metrics]")));
  }

  /** The state changed: the stack its cards show, the upload box. @param {import("../state.js").State} _s */
  showState(_s) {
    this.shell.upload.hidden = this.shell.setup.modality() !== "text";
    if (this.root.hidden) return;
    const summary = this.shell.session.summary;
    this.parts.showStack(summary, summary ? [seqLen(summary)] : null);
  }

  /** What a session needs before it is shown: its views and a page of its corpus. @param {any} summary */
  async load(summary) {
    const { api } = this.shell;
    const same = dataKey(summary.spec.data) === this.data;
    const split = same ? this.corpusSplit.value : "train";
    const start = same ? this.corpus.corpus?.start ?? 0 : 0;
    const [views, corpus] = await Promise.all([api.views(summary.id),
      api.view(summary.id, "corpus", { split, start, length: PAGE_WINDOWS * seqLen(summary) })]);
    return { views, corpus };
  }

  /** The session state holds a new session: show it. @param {{views: any[], corpus: any}} loaded */
  show(loaded) {
    const { session, live } = this.shell;
    this.views = new Set(loaded.views.map((v) => v.name));
    const data = dataKey(session.spec.data);
    if (data !== this.data) this.chosen = { split: "train", sample: 0 };
    this.data = data;
    delete this.root.dataset.frameStep;
    this.corpusSplit.value = loaded.corpus.split;
    this.corpus.update(loaded.corpus, this.chosenOnPage(loaded.corpus.split));
    const writes = this.views.has("sample_text");
    this.writing.reset(writes, writes ? "Writing…" : "This network cannot write one character at a time.");
    this.nextChar.update(null);
    this.parts.clear();
    this.parts.building(false);
    this.showWindow();
    this.showState(this.shell.setup.state);
    this.heavyNow = true;
    live.refresh();
  }

  /** No session (no text uploaded yet, or the stack was refused). */
  empty() {
    delete this.root.dataset.frameStep;
    const own = this.shell.setup.state.dataset === OWN_TEXT;
    this.writing.reset(false, own ? "Choose a .txt file (left) to train on it." : "");
    this.nextChar.update(null);
    this.corpus.update(null, null);
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
    delete this.root.dataset.frameStep;
    this.writing.reset(false, "");
    this.nextChar.update(null);
    this.parts.clear();
    return true;
  }

  /**
   * The snapshot this workspace draws: the chosen window's states and gates, the next
   * character, the text written anew at this step (unless one is streaming), and the
   * gradient at most every HEAVY_MS while training.
   */
  snapshotRequest() {
    const { session } = this.shell;
    if (!session.id) return null;
    const now = performance.now();
    const heavy = this.heavyNow || now - this.heavyAt >= HEAVY_MS || session.status !== "running";
    if (heavy) { this.heavyAt = now; this.heavyNow = false; }
    const views = this.parts.request(this.views, this.chosen, heavy);
    const p = this.writing.params();
    if (this.views.has("next_char")) views.next_char = { prefix: p.prime, temperature: p.temperature };
    const text = this.writing.request();
    if (text) views.sample_text = text;
    return { weights: false, encoding: "base64", views };
  }

  /** A snapshot arrived. @param {any} frame */
  snapshot(frame) {
    const v = frame.views ?? {}, errors = frame.view_errors ?? {};
    if (v.sample_text) this.writing.snapshot(frame.step, v.sample_text);
    if (v.next_char) this.nextChar.update(v.next_char);
    if (errors.next_char) this.nextChar.update(null);
    if (v.next_char || errors.next_char) this.writing.showError(errors.sample_text?.message ?? errors.next_char?.message ?? "");
    this.parts.update(v, this.views);
    const drawn = `${frame.step}|${this.chosen.split}|${this.chosen.sample}`;
    if (v.hidden_states && drawn !== this.heatmapKey) { this.heatmapKey = drawn; this.stats.heatmapFrames += 1; }
    if (frame.view_errors) console.warn("views:", frame.view_errors);
    this.root.dataset.frameStep = String(frame.step);  // what the tests wait on: the step drawn
  }

  /** A piece of text streaming (or why it cannot be written). @param {any} frame */
  sampleText(frame) { this.writing.piece(frame); }

  /** The gradient's loss or the chosen window changed: ask again now. */
  askAgain() {
    this.heavyNow = true;
    this.shell.live.refresh();
  }

  /** Look inside the network as it reads window `k` of the corpus shown. @param {number} k */
  choose(k) {
    this.chosen = { split: /** @type {"train" | "test"} */ (this.corpusSplit.value), sample: k };
    this.corpus.select(k);
    this.showWindow();
    this.askAgain();
  }

  /** @param {string} split the corpus page's @returns {number | null} */
  chosenOnPage(split) {
    return this.chosen.split === split ? this.chosen.sample : null;
  }

  showWindow() {
    const c = this.chosen;
    this.windowNote.textContent = `window ${c.sample.toLocaleString()} of the ${c.split === "train" ? "training" : "test"} text`;
  }

  /** Another page of the corpus (or the other split's). @param {number} start */
  async page(start) {
    const { api, session, banner } = this.shell;
    const id = session.id, summary = session.summary;
    if (!id) return;
    const split = this.corpusSplit.value;
    try {
      const c = await api.view(id, "corpus", { split, start, length: PAGE_WINDOWS * seqLen(summary) });
      if (id === session.id) this.corpus.update(c, this.chosenOnPage(split));
    } catch (e) {
      banner.show("error", `Corpus: ${/** @type {Error} */ (e).message}`, "warn", 4000);
    }
  }

  /**
   * A .txt file read: the server checks it and answers a spec's data section; the
   * session is made with the char-lstm preset's network (and, coming from other data,
   * its training). @param {string} base64 @param {string} name
   */
  async uploaded(base64, name) {
    const { api, setup, offer, change } = this.shell;
    this.upload.update({ busy: `Sending ${name}…` });
    try {
      const answer = await api.request("POST", "/datasets/text", { file: base64 });
      const info = answer.info;
      this.upload.update({ done: `${name}: ${info.chars.toLocaleString()} characters, ${info.vocab.length} different ones.` });
      setup.useText({ data: answer.data, info, file: name });
      const template = offer.presets.get(TEXT_PRESET);
      // a new text gets a fresh network (its vocabulary sizes the embedding and the output)
      const layers = template ? encodeLayers(template.spec.model.layers, offer.catalog) : "";
      if (setup.state.dataset !== OWN_TEXT && template) setup.change({ preset: TEXT_PRESET });  // its optimizer, batch size and split
      change({ dataset: OWN_TEXT, layers }, { now: true });
    } catch (e) {
      this.upload.update({ error: `${name}: ${/** @type {Error} */ (e).message}` });
    }
  }
}

/** Characters a window: the data's seq_len (the normalized spec says). @param {any} summary */
function seqLen(summary) {
  return summary?.spec?.data?.params?.seq_len ?? summary?.layers?.[0]?.output_shape?.[0] ?? 50;
}

/** What identifies the data a session trains on (the text itself for the user's own). @param {any} data */
function dataKey(data) {
  const { shuffle: _shuffle, ...rest } = data ?? {};
  return JSON.stringify(rest);
}
