// A small WebDriver client (W3C protocol over plain HTTP, Node's fetch): just what the
// end-to-end test needs to drive Quire's real window through tauri-driver.

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriver {
  constructor(base) {
    this.base = base;
    this.session = null;
  }

  async call(method, path, body) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok || (json.value && json.value.error)) {
      const v = json.value || {};
      const err = new Error(`${method} ${path}: ${v.error || res.status}: ${v.message || text.slice(0, 200)}`);
      err.code = v.error;
      throw err;
    }
    return json.value;
  }

  async start(application, env) {
    const value = await this.call("POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": { application, env } } },
    });
    this.session = value.sessionId;
    return value;
  }

  s(path) {
    return `/session/${this.session}${path}`;
  }

  async stop() {
    if (this.session) await this.call("DELETE", this.s("")).catch(() => {});
    this.session = null;
  }

  async find(css) {
    const v = await this.call("POST", this.s("/element"), { using: "css selector", value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.call("POST", this.s("/elements"), { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** Waits until `css` matches (and `pred(elementId)` holds, if given); returns the element. */
  async waitFor(css, { timeout = 20000, pred } = {}) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      try {
        const id = await this.find(css);
        if (!pred || (await pred(id))) return id;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out after ${timeout} ms waiting for ${css}${last ? ` (${last.message})` : ""}`);
  }

  /** An element id as a script argument. */
  ref(id) {
    return { [ELEMENT]: id };
  }

  async click(id) {
    await this.call("POST", this.s(`/element/${id}/click`), {});
  }

  async type(id, text) {
    await this.call("POST", this.s(`/element/${id}/clear`), {}).catch(() => {});
    await this.call("POST", this.s(`/element/${id}/value`), { text });
  }

  /** The element's text content (WebKitWebDriver's "visible text" drops ellipsised lines). */
  async text(id) {
    return this.exec("return arguments[0].textContent", [{ [ELEMENT]: id }]);
  }

  async attr(id, name) {
    return this.call("GET", this.s(`/element/${id}/attribute/${name}`));
  }

  async exec(script, args = []) {
    return this.call("POST", this.s("/execute/sync"), { script, args });
  }

  /** Sends keys to the focused element / page (WebDriver key codes, e.g. "\uE007" = Enter). */
  async keys(text) {
    const actions = [...text].flatMap((ch) => [
      { type: "keyDown", value: ch },
      { type: "keyUp", value: ch },
    ]);
    await this.call("POST", this.s("/actions"), { actions: [{ type: "key", id: "keyboard", actions }] });
  }
}
