// @ts-check
/**
 * The user's own text: a .txt file (UTF-8), read in the browser and handed to the
 * owner as base64 (POST /api/datasets/text checks it); the widget reports what was
 * read, the server's message when the file is refused, and that the text does not
 * travel in the page's link.
 */
import { el } from "../frame.js";
import { toBase64 } from "./image-upload.js";

export class TextUpload {
  /** @param {HTMLElement} container @param {{onUpload: (base64: string, name: string) => void}} options */
  constructor(container, options) {
    this.root = el("div", "image-upload text-upload", container);
    el("p", "fine", this.root).textContent = "Your own text: a .txt file (UTF-8) for a character model to learn.";
    const button = el("label", "text-button file-button", this.root);
    button.title = "A plain-text file: prose, code, lyrics… (its distinct characters become the vocabulary)";
    button.append("Choose .txt…");
    const input = /** @type {HTMLInputElement} */ (el("input", "", button));
    input.type = "file";
    input.accept = ".txt,text/plain";
    input.dataset.testid = "own-text";
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      input.value = "";
      if (!file) return;
      this.update({ busy: `Reading ${file.name}…` });
      file.arrayBuffer().then((b) => options.onUpload(toBase64(b), file.name),
        (e) => this.update({ error: `Could not read ${file.name}: ${e.message}` }));
    });
    this.input = input;
    this.status = el("p", "fine upload-status", this.root);
    this.status.dataset.testid = "text-upload-status";
    this.error = el("p", "upload-error", this.root);
    this.error.dataset.testid = "text-upload-error";
    this.error.hidden = true;
    el("p", "fine upload-note", this.root).textContent = "The text stays on the server with the session: the page's link cannot carry it (use “Save to file” to keep it).";
  }

  /** @param {{busy?: string, error?: string, done?: string}} d */
  update(d) {
    this.error.hidden = !d.error;
    this.error.textContent = d.error ?? "";
    this.status.textContent = d.busy ?? d.done ?? "";
  }
}
