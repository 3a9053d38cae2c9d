// @ts-check
/**
 * The REST client: JSON in and out, errors turned into ApiError with the server's
 * {"error": {code, message, path}} body. A `?token=` in the page's address is passed on.
 */

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message @param {string} [path] */
  constructor(status, code, message, path) {
    super(path ? `${message} (${path})` : message);
    this.status = status;
    this.code = code;
    this.path = path;
  }
}

export class Api {
  /** @param {string} base e.g. "/api" @param {string | null} token */
  constructor(base, token) {
    this.base = base;
    this.token = token;
    /** @type {Map<string, Set<Promise<unknown>>>} requests in flight, by the session they are about */
    this.inflight = new Map();
  }

  /** @param {string} path */
  url(path) {
    const url = new URL(this.base + path, window.location.href);
    if (this.token) url.searchParams.set("token", this.token);
    return url.toString();
  }

  /** @param {string} path websocket address of an API path */
  wsUrl(path) {
    const url = new URL(this.url(path));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    return url.toString();
  }

  /** @param {string} method @param {string} path @param {unknown} [body] */
  async request(method, path, body) {
    /** @type {RequestInit} */
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { "Content-Type": "application/json" };
    }
    const answer = fetch(this.url(path), init).then((r) => this.decode(r));
    const id = /^\/sessions\/([^/?]+)/.exec(path)?.[1];
    if (id && id !== "import") {
      const pending = this.inflight.get(id) ?? new Set();
      this.inflight.set(id, pending.add(answer));
      const done = () => { pending.delete(answer); if (!pending.size) this.inflight.delete(id); };
      answer.then(done, done);
    }
    return answer;
  }

  /** @param {Response} response */
  async decode(response) {
    if (!response.ok) {
      let err = { code: "http_" + response.status, message: response.statusText, path: undefined };
      try { err = (await response.json()).error ?? err; } catch { /* not JSON */ }
      throw new ApiError(response.status, err.code, err.message, err.path);
    }
    if (response.status === 204) return null;
    const type = response.headers.get("content-type") ?? "";
    return type.includes("json") ? response.json() : response.arrayBuffer();
  }

  datasets() { return this.request("GET", "/datasets"); }
  /** Every choice the engine offers: layers and their fields, activations, losses, optimizers, ... */
  catalog() { return this.request("GET", "/catalog"); }
  /** @param {string} id the views that fit a session */
  views(id) { return this.request("GET", `/sessions/${id}/views`); }
  /**
   * One view of a session; its parameters go in the body (POST), which also carries a
   * drawn image. @param {string} id @param {string} name @param {Record<string, unknown>} [params]
   */
  view(id, name, params = {}) { return this.request("POST", `/sessions/${id}/views/${name}`, params); }
  /**
   * The data section of a spec made from the user's image files:
   * {format: "npz", file} or {format: "idx", images, labels}, each file base64.
   * @param {Record<string, string>} upload
   */
  uploadImages(upload) { return this.request("POST", "/datasets/images", upload); }
  presets() { return this.request("GET", "/presets"); }

  /** The server's limits (layers, units, parameters, ...). */
  limits() { return this.request("GET", "/limits"); }
  /** @param {string} name @param {Record<string, number>} params */
  sample(name, params) {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    return this.request("GET", `/datasets/${encodeURIComponent(name)}/sample?${query}`);
  }
  /** @param {object} spec */
  createSession(spec) { return this.request("POST", "/sessions", spec); }
  listSessions() { return this.request("GET", "/sessions"); }
  /** @param {string} id */
  session(id) { return this.request("GET", `/sessions/${id}`); }
  /**
   * Delete a session once the page's own requests about it are answered (they would
   * otherwise end in 404s, which the browser logs as errors). @param {string} id
   */
  async deleteSession(id) {
    await Promise.allSettled([...(this.inflight.get(id) ?? [])]);
    return this.request("DELETE", `/sessions/${id}`);
  }
  /** Delete a session as the page goes away: the request outlives the page. @param {string} id */
  forgetSession(id) { fetch(this.url(`/sessions/${id}`), { method: "DELETE", keepalive: true }).catch(() => {}); }
  /** @param {string} id @param {"epoch" | "step"} [per] a row an epoch (the loss chart's) or a step (a GAN's) */
  history(id, per = "epoch") { return this.request("GET", `/sessions/${id}/history?per=${per}`); }
  /** @param {string} id the session's points and targets */
  sessionData(id) { return this.request("GET", `/sessions/${id}/data`); }
  /** @param {string} id losses and accuracies measured now, with the current weights */
  metricsNow(id) { return this.request("GET", `/sessions/${id}/metrics?evaluate=true`); }
  /** @param {string} id */
  weights(id) { return this.request("GET", `/sessions/${id}/weights`); }
  /** @param {string} id @param {any[]} weights every layer's, as GET gives them */
  putWeights(id, weights) { return this.request("PUT", `/sessions/${id}/weights`, weights); }
  /** @param {string} id the address that downloads the session's archive */
  exportUrl(id) { return this.url(`/sessions/${id}/export`); }
  /** @param {Blob} file an exported archive */
  async importArchive(file) {
    const response = await fetch(this.url("/sessions/import"), {
      method: "POST", body: file, headers: { "Content-Type": "application/zip" } });
    return this.decode(response);
  }
  /** @param {string} id @param {number[][]} inputs */
  activations(id, inputs) { return this.request("POST", `/sessions/${id}/activations`, { inputs }); }
}
