// @ts-check
/**
 * The user's own images: an .npz file with arrays X (n, h, w) or (n, h, w, c) and y
 * (n,), or MNIST's pair of IDX files (images and labels, gzipped or not). The files
 * are read in the browser and sent base64 (POST /api/datasets/images); the widget
 * reports what it read, the server's message when a file is refused, and that
 * uploaded images do not travel in the page's link.
 */
import { el } from "../frame.js";

/** @param {ArrayBuffer} buffer */
export function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

export class ImageUpload {
  /**
   * @param {HTMLElement} container
   * @param {{onUpload: (body: Record<string, string>, label: string) => void}} options
   */
  constructor(container, options) {
    this.options = options;
    this.root = el("div", "image-upload", container);
    el("p", "fine", this.root).textContent = "Your own images: an .npz file with X (n, h, w[, c]) and y (n,), or MNIST's two IDX files.";
    this.npz = this.fileButton("Choose .npz…", ".npz,application/octet-stream", "images-npz",
      "An .npz file (numpy.savez) with X: the images, pixels 0–255 or 0–1, and y: class indices", false);
    this.idx = this.fileButton("Choose IDX pair…", "", "images-idx",
      "MNIST's images file and labels file (…-images-idx3-ubyte and …-labels-idx1-ubyte, .gz or not): choose both", true);
    this.status = el("p", "fine upload-status", this.root);
    this.status.dataset.testid = "upload-status";
    this.error = el("p", "upload-error", this.root);
    this.error.dataset.testid = "upload-error";
    this.error.hidden = true;
    const note = el("p", "fine upload-note", this.root);
    note.textContent = "Uploaded images stay on the server with the session: the page's link cannot carry them (use “Save to file” to keep them).";
  }

  /**
   * @param {string} label @param {string} accept @param {string} testid @param {string} title
   * @param {boolean} multiple
   */
  fileButton(label, accept, testid, title, multiple) {
    const button = el("label", "text-button file-button", this.root);
    button.title = title;
    button.append(label);
    const input = /** @type {HTMLInputElement} */ (el("input", "", button));
    input.type = "file";
    if (accept) input.accept = accept;
    input.multiple = multiple;
    input.dataset.testid = testid;
    input.addEventListener("change", () => {
      const files = [...(input.files ?? [])];
      input.value = "";
      if (files.length) this.read(files, multiple).catch((e) => this.update({ error: `Could not read the file: ${e.message}` }));
    });
    return input;
  }

  /** @param {File[]} files @param {boolean} idx */
  async read(files, idx) {
    if (!idx) {
      const file = files[0];
      this.update({ busy: `Reading ${file.name}…` });
      this.options.onUpload({ format: "npz", file: toBase64(await file.arrayBuffer()) }, file.name);
      return;
    }
    const labels = files.find((f) => /label/i.test(f.name));
    const images = files.find((f) => f !== labels);
    if (files.length !== 2 || !labels || !images) {
      this.update({ error: "Choose both IDX files at once: the images (…images-idx3-ubyte) and the labels (…labels-idx1-ubyte, a name with “label” in it)." });
      return;
    }
    this.update({ busy: `Reading ${images.name} and ${labels.name}…` });
    const [a, b] = await Promise.all([images.arrayBuffer(), labels.arrayBuffer()]);
    this.options.onUpload({ format: "idx", images: toBase64(a), labels: toBase64(b) }, `${images.name} + ${labels.name}`);
  }

  /** @param {{busy?: string, error?: string, done?: string}} d */
  update(d) {
    this.error.hidden = !d.error;
    this.error.textContent = d.error ?? "";
    this.status.textContent = d.busy ?? d.done ?? "";
  }
}
