// Shared by every page (the review pages and the tech's): the signed-in user, JSON calls
// with the CSRF token and the sign-in redirect, the server's anatomy catalogue, the
// navigation bar and small DOM helpers. Plain JavaScript, no build step.
"use strict";

const NL = {
  me: null,

  // Who is signed in; sends the browser to the sign-in page when nobody is. Asked once
  // per page, however many of its scripts wait for it.
  signedIn() {
    NL.asked = NL.asked || (async () => {
      const response = await fetch("/api/me", { credentials: "same-origin" });
      if (response.status === 401) { NL.toLogin(); throw new Error("not signed in"); }
      NL.me = await response.json();
      NL.nav();
      return NL.me;
    })();
    return NL.asked;
  },

  toLogin() {
    location.href = "/?next=" + encodeURIComponent(location.pathname + location.search);
  },

  // GET without a body, POST with one; the answer's JSON, or an Error with the server's
  // message and status. Signed out (idle too long), it goes to the sign-in page, which
  // brings the user back here.
  async api(path, body, method, headers) {
    const options = { credentials: "same-origin", method: method || (body === undefined ? "GET" : "POST"), headers: { ...(headers || {}) } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    if (options.method !== "GET" && NL.me && NL.me.csrfToken) options.headers["X-CSRF-Token"] = NL.me.csrfToken;
    const response = await fetch("/api/" + path, options);
    if (response.status === 401 && path !== "login") { NL.toLogin(); throw new Error("signed out"); }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try { message = JSON.parse(text).error.message; } catch (_) { /* not JSON */ }
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return text ? JSON.parse(text) : {};
  },

  // Levels (C1 to the coccyx), target structures and sides, from the server's Anatomy:
  // fetched once per page.
  anatomy() {
    NL.catalogue = NL.catalogue || NL.api("anatomy");
    return NL.catalogue;
  },

  // Each level and the segment below it: C1, C1-C2, C2, ..., S5, S5-coccyx, coccyx.
  picks(levels) {
    const names = levels.map((level) => level.name);
    return names.flatMap((name, i) => (i + 1 < names.length ? [name, `${name}-${names[i + 1]}`] : [name]));
  },

  nav() {
    const bar = document.getElementById("nav");
    if (!bar || !NL.me) return;
    bar.replaceChildren();
    const links = NL.me.role === "admin" ? [["/users", "Accounts and audit"]] : [["/sessions", "Sessions"], ["/search", "Search"], ["/tech", "Recorder"]];
    bar.append(NL.el("a", { href: NL.me.role === "admin" ? "/users" : "/sessions", class: "brand" }, "NeedleLog"));
    for (const [href, label] of links) bar.append(NL.el("a", { href }, label));
    const who = NL.el("span", { class: "who" }, `${NL.me.user} · ${NL.me.role}`);
    const out = NL.el("button", { type: "button", id: "sign-out" }, "Sign out");
    out.onclick = async () => { await NL.api("logout", {}); location.href = "/"; };
    bar.append(who, out);
  },

  el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) node[key] = value; else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
    return node;
  },

  date(text) {
    const d = new Date(text);
    return isNaN(d) ? "" : d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  },

  day(text) {
    const d = new Date(text);
    return isNaN(d) ? "" : d.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
  },

  // A member of staff as pages name them: "Ann Lee, MD".
  person(p) { return `${p.given} ${p.family}` + (p.credentials ? `, ${p.credentials}` : ""); },

  // A name on a record: the person, or the recorded text marked as matching no named account.
  staff(name, person) { return person || `${name} (unverified)`; },

  param(name) { return new URLSearchParams(location.search).get(name); },

  say(message, kind) {
    const box = document.getElementById("message");
    if (!box) return;
    box.textContent = message || "";
    box.className = kind || "";
  },

  // A still as a captioned thumbnail that opens the still page.
  thumbnail(still) {
    const caption = [still.site || "untagged", still.structureName || still.structure, still.takenAt ? NL.day(still.takenAt) : `${still.time.toFixed(1)} s`]
      .filter(Boolean).join(" · ");
    return NL.el("a", { href: `/still?id=${still.id}`, class: "thumb", "data-still": still.id, "data-site": still.site || "" },
      NL.el("img", { src: still.image, alt: caption, loading: "lazy" }),
      NL.el("span", {}, caption, still.annotated ? NL.el("b", { class: "badge" }, "needle") : null));
  },
};
