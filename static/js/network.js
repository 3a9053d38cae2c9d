// @ts-check
/**
 * The network drawing: input features as clickable nodes, hidden layers with +/− for
 * neurons, links coloured (orange negative, blue positive) and thickened by weight,
 * a bias square on every neuron, a small heatmap inside every node, and an activation
 * select under each hidden layer's header. Clicking a link or a bias asks to edit it. The DOM is
 * rebuilt only when the structure changes; weights and heatmaps update in place, once
 * per animation frame.
 */
import { divergingCssOfStep, divergingStep } from "./colors.js";
import { FrameScheduler, el } from "./frame.js";

const SVG = "http://www.w3.org/2000/svg";
const HEAD = 70;          // room for the per-layer buttons and activation above the nodes
const LABEL = 64;         // room for the feature names left of the inputs, at least
const MAX_LABEL = 150;    // and at most (longer names end in an ellipsis)

/**
 * @typedef {{inputs: {name: string, active: boolean, label?: string}[], hidden: number[], outputs: number,
 *   toggleable: boolean, acts: string[], separate?: boolean[], choices: string[]}} Structure
 *   `acts`: each hidden layer's activation; `separate`: whether it is an activation layer
 *   of its own after a linear dense layer (drawn folded into that layer's neurons);
 *   `choices`: the activations its select offers
 * @typedef {{kind: "weight", layer: number, i: number, j: number} |
 *   {kind: "bias", layer: number, j: number}} Param a weight W[i][j] or a bias b[j] of a layer
 * @typedef {import("./heatmap.js").GridImage} GridImage
 * @typedef {{id: string, x: number, y: number, el: HTMLElement, canvas: HTMLCanvasElement,
 *   bias?: HTMLElement, biasStep?: number, drawn?: GridImage}} Node `biasStep`: the bias
 *   colour shown; `drawn`: the picture its canvas shows
 */

export class NetworkView {
  /**
   * @param {HTMLElement} container
   * @param {{onToggleFeature: (name: string) => void, onAddNeuron: (layer: number) => void,
   *   onRemoveNeuron: (layer: number) => void, onHover: (id: string | null) => void,
   *   onActivation: (layer: number, activation: string) => void,
   *   onEdit: (param: Param, label: string, value: number | null, at: MouseEvent) => void,
   *   onDraw?: () => void}} options
   */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.key = "";
    /** @type {Node[][]} columns of nodes: inputs, each hidden layer, outputs */
    this.columns = [];
    /** @type {{path: SVGPathElement, layer: number, i: number, j: number, step: number, width: number}[]} */
    this.links = [];
    /** @type {any[] | null} */ this.weights = null;
    /** @type {Map<string, GridImage>} */ this.images = new Map();
    this.tooltip = el("div", "tooltip", document.body);
    this.tooltip.hidden = true;
    this.frame = new FrameScheduler(() => this.draw());
    new ResizeObserver(() => { this.key = ""; this.frame.request(); }).observe(container);
    /** @type {Structure | null} */ this.structure = null;
  }

  /**
   * @param {{structure?: Structure, weights?: any[] | null, images?: Map<string, GridImage>,
   *   clearImages?: boolean}} data
   */
  update(data) {
    if (data.clearImages) {
      this.images.clear();
      this.key = "";  // rebuild: blank canvases
    }
    if (data.structure) this.structure = data.structure;
    if (data.weights !== undefined) this.weights = data.weights;
    if (data.images) for (const [k, v] of data.images) this.images.set(k, v);
    this.frame.request();
  }

  draw() {
    if (!this.structure) return;
    const key = JSON.stringify(this.structure);
    if (key !== this.key) {
      this.key = key;
      this.build(this.structure);
    }
    this.drawWeights();
    for (const column of this.columns) {
      for (const node of column) {
        const img = this.images.get(node.id);
        if (!img || node.drawn === img) continue;
        node.drawn = img;
        const canvas = node.canvas;
        if (canvas.width !== img.n) canvas.width = canvas.height = img.n;
        const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
        ctx.putImageData(new ImageData(/** @type {any} */ (img.rgba), img.n, img.n), 0, 0);
      }
    }
    this.options.onDraw?.();
  }

  /** @param {Structure} s */
  build(s) {
    const root = this.container;
    root.replaceChildren();
    const counts = [s.inputs.length, ...s.hidden, s.outputs];
    const tallest = Math.max(...counts);
    const size = tallest <= 9 ? 30 : Math.max(10, Math.floor(400 / tallest) - 4);
    const pitch = size + Math.max(4, Math.round(size * 0.35));
    const width = Math.max(300, root.clientWidth);
    const height = HEAD + tallest * pitch + 8;
    root.style.height = `${height}px`;
    const svg = /** @type {SVGSVGElement} */ (document.createElementNS(SVG, "svg"));
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    svg.classList.add("links");
    root.appendChild(svg);
    const longest = Math.max(0, ...s.inputs.map((input) => inputLabel(input).length));
    const room = Math.round(Math.min(MAX_LABEL, Math.max(LABEL, 10 + 6.5 * longest)));
    root.style.setProperty("--label-room", `${room - 8}px`);
    const gap = (width - room - size - 8) / (counts.length - 1);
    this.columns = counts.map((n, c) => {
      const x = room + c * gap;
      const top = HEAD + ((tallest - n) * pitch) / 2;
      return Array.from({ length: n }, (_, k) => this.makeNode(s, c, k, x, top + k * pitch, size));
    });
    s.hidden.forEach((units, l) => this.layerButtons(root, l, units, room + (l + 1) * gap + size / 2, s));
    this.links = [];
    const active = this.columns[0].filter((_, k) => s.inputs[k].active);
    for (let c = 1; c < this.columns.length; c++) {
      const sources = c === 1 ? active : this.columns[c - 1];
      sources.forEach((a, i) => this.columns[c].forEach((b, j) => {
        const path = /** @type {SVGPathElement} */ (document.createElementNS(SVG, "path"));
        const x1 = a.x + size, y1 = a.y + size / 2, x2 = b.x, y2 = b.y + size / 2;
        const mid = (x1 + x2) / 2;
        path.setAttribute("d", `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`);
        const hit = /** @type {SVGPathElement} */ (path.cloneNode());
        hit.classList.add("hit");
        hit.dataset.link = `${c - 1}:${i}:${j}`;
        hit.addEventListener("mousemove", (e) => this.showTip(e, `${this.linkText(c - 1, i, j)} (click to edit)`));
        hit.addEventListener("mouseenter", () => path.classList.add("hover"));
        hit.addEventListener("mouseleave", () => { this.tooltip.hidden = true; path.classList.remove("hover"); });
        hit.addEventListener("click", (e) => this.edit({ kind: "weight", layer: c - 1, i, j }, e));
        svg.appendChild(path);
        svg.appendChild(hit);
        this.links.push({ path, layer: c - 1, i, j, step: -3, width: -1 });  // -3, -1: not drawn yet
      }));
    }
  }

  /**
   * @param {Structure} s @param {number} c column @param {number} k row
   * @param {number} x @param {number} y @param {number} size @returns {Node}
   */
  makeNode(s, c, k, x, y, size) {
    const isInput = c === 0;
    const isOutput = c === s.hidden.length + 1;
    const id = isInput ? `in:${k}` : isOutput ? `out:${k}` : `h:${c - 1}:${k}`;
    const node = el("div", "node", this.container);
    node.style.left = `${x}px`; node.style.top = `${y}px`;
    node.style.width = node.style.height = `${size}px`;
    node.dataset.node = id;
    const canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "node-map", node));
    canvas.width = canvas.height = 1;
    /** @type {Node} */
    const out = { id, x, y, el: node, canvas };
    if (isInput) {
      const input = s.inputs[k];
      node.classList.toggle("inactive", !input.active);
      const label = el("span", "node-label", node);
      label.textContent = label.title = inputLabel(input);
      if (s.toggleable) {
        node.classList.add("toggle");
        node.setAttribute("role", "switch");
        node.setAttribute("aria-checked", String(input.active));
        node.tabIndex = 0;
        node.title = `${inputLabel(input)}: click to ${input.active ? "remove" : "use"} this input`;
        node.dataset.feature = input.name;
        node.addEventListener("click", () => this.options.onToggleFeature(input.name));
      }
    } else {
      node.dataset.testid = isOutput ? "output-node" : "neuron";
      node.setAttribute("data-testid", isOutput ? "output-node" : "neuron");
      const name = isOutput ? `Output ${s.outputs > 1 ? k + 1 : ""}`.trim() : `Layer ${c}, neuron ${k + 1}`;
      node.title = s.toggleable ? `${name}: hover to see its output over the whole plane` : name;
      out.bias = el("div", "bias", node);
      out.bias.title = "";  // the bias has its own tooltip
      out.bias.dataset.bias = `${c - 1}:${k}`;
      out.bias.addEventListener("mousemove", (e) => {
        e.stopPropagation();
        this.showTip(e, `${this.biasText(c - 1, k)} (click to edit)`);
      });
      out.bias.addEventListener("click", (e) => {
        e.stopPropagation();
        this.edit({ kind: "bias", layer: c - 1, j: k }, e);
      });
      out.bias.addEventListener("mouseleave", () => { this.tooltip.hidden = true; });
    }
    if (!isInput || s.toggleable) {
      node.addEventListener("mouseenter", () => this.options.onHover(id));
      node.addEventListener("mouseleave", () => this.options.onHover(null));
    }
    return out;
  }

  /**
   * @param {HTMLElement} root @param {number} l @param {number} units @param {number} cx
   * @param {Structure} s
   */
  layerButtons(root, l, units, cx, s) {
    const box = el("div", "layer-head", root);
    box.style.left = `${cx - 40}px`;
    const plus = el("button", "round tiny", box);
    plus.textContent = "+";
    plus.title = `Add a neuron to hidden layer ${l + 1}`;
    plus.setAttribute("aria-label", plus.title);
    plus.dataset.testid = "add-neuron";
    plus.addEventListener("click", () => this.options.onAddNeuron(l));
    const minus = el("button", "round tiny", box);
    minus.textContent = "−";
    minus.title = `Remove a neuron from hidden layer ${l + 1}`;
    minus.setAttribute("aria-label", minus.title);
    minus.dataset.testid = "remove-neuron";
    minus.addEventListener("click", () => this.options.onRemoveNeuron(l));
    const label = el("div", "layer-units", box);
    const separate = Boolean(s.separate?.[l]);
    label.textContent = `${units} neuron${units === 1 ? "" : "s"}${separate ? " + activation" : ""}`;
    const select = /** @type {HTMLSelectElement} */ (el("select", "layer-act", box));
    select.dataset.testid = "layer-activation";
    select.classList.toggle("separate", separate);
    select.title = separate ? `Activation of hidden layer ${l + 1}: an activation layer of its own, after a linear dense layer`
      : `Activation of hidden layer ${l + 1}`;
    select.setAttribute("aria-label", select.title);
    for (const a of s.choices) select.appendChild(new Option(a, a));
    select.value = s.acts[l];
    select.addEventListener("change", () => this.options.onActivation(l, select.value));
  }

  /** @param {Param} param @param {MouseEvent} e */
  edit(param, e) {
    this.tooltip.hidden = true;
    const w = this.weights?.[param.layer];
    const value = param.kind === "bias" ? w?.b?.[param.j] : w?.W?.[param.i]?.[param.j];
    const label = param.kind === "bias" ? this.biasText(param.layer, param.j).replace(/ \S+$/, "")
      : this.linkText(param.layer, param.i, param.j).replace(/^weight \S+: /, "weight ");
    this.options.onEdit(param, label, value ?? null, e);
  }

  /**
   * Links and biases take their weights' colours and widths. A big network has
   * thousands of links: only those whose colour step or width (to 0.1 px) changed are
   * touched, since each touched path costs style, layout and paint work.
   */
  drawWeights() {
    const w = this.weights;
    for (const link of this.links) {
      const value = w?.[link.layer]?.W?.[link.i]?.[link.j];
      const known = value !== undefined && value !== null;
      const step = known ? divergingStep(value) : -2;
      const width = known ? Math.round(Math.min(80, 6 + Math.abs(value) * 25)) : 10;  // tenths of a px
      if (step !== link.step) {
        link.step = step;
        link.path.setAttribute("stroke", step === -2 ? "#ccc" : divergingCssOfStep(step));
      }
      if (width !== link.width) {
        link.width = width;
        link.path.setAttribute("stroke-width", String(width / 10));
      }
    }
    this.columns.slice(1).forEach((column, l) => column.forEach((node, j) => {
      const b = w?.[l]?.b?.[j];
      const step = b === undefined || b === null ? -2 : divergingStep(b);
      if (node.bias && node.biasStep !== step) {
        node.biasStep = step;
        node.bias.style.background = step === -2 ? "#ccc" : divergingCssOfStep(step);
      }
    }));
  }

  /** @param {number} layer @param {number} i @param {number} j */
  linkText(layer, i, j) {
    const value = this.weights?.[layer]?.W?.[i]?.[j];
    const input = this.activeInputs()[i];
    const from = layer === 0 ? (input ? inputLabel(input) : "?") : `neuron ${i + 1} of layer ${layer}`;
    const to = layer === (this.structure?.hidden.length ?? 0) ? `output ${j + 1}` : `neuron ${j + 1} of layer ${layer + 1}`;
    return `weight ${format(value)}: ${from} → ${to}`;
  }

  /** @param {number} layer @param {number} j */
  biasText(layer, j) {
    const of = layer === (this.structure?.hidden.length ?? 0) ? `output ${j + 1}` : `neuron ${j + 1} of layer ${layer + 1}`;
    return `bias of ${of} ${format(this.weights?.[layer]?.b?.[j])}`;
  }

  activeInputs() {
    return (this.structure?.inputs ?? []).filter((x) => x.active);
  }

  /** @param {MouseEvent} e @param {string} text */
  showTip(e, text) {
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${e.pageX + 12}px`;
    this.tooltip.style.top = `${e.pageY + 12}px`;
  }
}

/** @param {number | null | undefined} v */
function format(v) {
  return v === undefined || v === null ? "–" : v.toPrecision(3);
}

/** @param {{name: string, label?: string}} input */
function inputLabel(input) {
  return input.label ?? prettyFeature(input.name);
}

/** @param {string} name */
export function prettyFeature(name) {
  return name.replace("^2", "²").replace("*", "·").replace("x1", "X₁").replace("x2", "X₂")
    .replace("x3", "X₃");
}
