// @ts-check
/**
 * What the user has picked out to look at: in the 2-D workspace the training sample the
 * activations panel shows, the neuron and the point under the mouse, whether the chosen
 * sample is ringed on the plane, and the class new points get; in the images workspace
 * the chosen image (a sample or a drawing) and the marked feature-map pixel; in the
 * autoencoder workspace the point of the latent plane decoded and the threshold the
 * anomaly lab judges errors by. This class is its one owner: changes go through its
 * methods, and the subscribers hear which field changed ("sample", "neuron", "point",
 * "ring", "pick", "image", "marked", "latent", "threshold").
 */
import { Observable } from "./observable.js";

/**
 * @typedef {{split: string, sample: number}} SampleChoice
 * @typedef {SampleChoice | {image: number[][]}} ImageChoice
 * @typedef {{index: number, y: number, x: number, channel: number}} Pixel layer index, position, channel
 * @typedef {"sample" | "neuron" | "point" | "ring" | "pick" | "image" | "marked" | "latent" | "threshold"} SelectionChange
 */

/** @extends {Observable<SelectionChange>} */
export class Selection extends Observable {
  constructor() {
    super();
    /** the training sample the activations panel shows (0-based) */ this.sample = 0;
    /** @type {string | null} the neuron under the mouse (its node id) */ this.neuron = null;
    /** @type {number[] | null} the point under the mouse on the output plane */ this.point = null;
    /** whether the chosen sample is ringed on the plane (the mouse is over its panel) */ this.ring = false;
    /** the class of the points clicked onto the plane */ this.pick = 1;
    /** @type {ImageChoice} the image the network column shows */ this.image = { split: "train", sample: 0 };
    /** @type {SampleChoice} the last sample chosen, to go back to from a drawing */ this.lastSample = { split: "train", sample: 0 };
    /** @type {Pixel | null} the feature-map pixel whose receptive field is shown */ this.marked = null;
    /** @type {[number, number] | null} the point of the latent plane decoded */ this.latent = null;
    /** @type {number | null} the reconstruction error from which a sample is called anomalous (null: the server's default) */
    this.threshold = null;
  }

  /** @param {number} index 0-based */
  chooseSample(index) {
    this.sample = index;
    this.notify("sample");
  }

  /** @param {string | null} id */
  hoverNeuron(id) {
    this.neuron = id;
    this.notify("neuron");
  }

  /** @param {{x: number, y: number} | null} p */
  hoverPoint(p) {
    this.point = p ? [p.x, p.y] : null;
    this.notify("point");
  }

  /** @param {boolean} on */
  ringSample(on) {
    this.ring = on;
    this.notify("ring");
  }

  /** @param {number} cls */
  pickClass(cls) {
    this.pick = cls;
    this.notify("pick");
  }

  /** @param {ImageChoice} choice */
  chooseImage(choice) {
    this.image = choice;
    if (!("image" in choice)) this.lastSample = choice;
    this.notify("image");
  }

  /** @param {Pixel | null} pixel */
  markPixel(pixel) {
    this.marked = pixel;
    this.notify("marked");
  }

  /** @param {[number, number] | null} point on the latent plane */
  pickLatent(point) {
    this.latent = point;
    this.notify("latent");
  }

  /** @param {number | null} threshold null: the server's default */
  setThreshold(threshold) {
    this.threshold = threshold;
    this.notify("threshold");
  }
}
