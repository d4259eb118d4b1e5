// The still page: draw the needle (entry to tip) and the target, measure it, save it as
// a new revision, or accept the detector's suggested line in one press; see and restore
// older revisions; correct the tag; record the injection.
"use strict";

const id = NL.param("id");
const canvas = document.getElementById("canvas");
const ctx = canvas.getContext("2d");
const image = new Image();
const $ = (name) => document.getElementById(name);

// Points are in image pixels; the canvas shows them at `zoom`.
const state = {
  data: null, zoom: 1, mode: "needle",
  entry: null, tip: null, target: null, selected: null, dragging: null, pendingTip: false,
  ticks: [], viewing: null, scale: null, dirty: false,
};

function draftKey() { return `needlelog.draft.${id}`; }

function keepDraft() {
  state.dirty = true;
  sessionStorage.setItem(draftKey(), JSON.stringify({ entry: state.entry, tip: state.tip, target: state.target, note: $("note").value }));
}

function current() { const r = state.data.annotations.revisions; return r.length ? r[r.length - 1] : null; }

async function load(keepDrawing) {
  const data = await NL.api(`stills/${encodeURIComponent(id)}`);
  state.data = data;
  state.scale = data.millimetresPerPixel || null;
  showSigned(Boolean(data.signedBy));
  $("title").textContent = `${data.patient.name} · ${data.still.site || "untagged"} · ${data.still.time.toFixed(1)} s`;
  $("export").href = `/api/stills/${id}/annotated.png`;
  const latest = current();
  $("revision").textContent = latest ? `${latest.revision} by ${latest.author}` : "none";
  const draft = JSON.parse(sessionStorage.getItem(draftKey()) || "null");
  if (keepDrawing) {
    // Conflict: keep what is on screen.
  } else if (draft && draft.entry) {
    Object.assign(state, { entry: draft.entry, tip: draft.tip, target: draft.target });
    $("note").value = draft.note || "";
    state.dirty = true;
    NL.say("Your unsaved drawing was kept from before.", "ok");
  } else if (latest) {
    Object.assign(state, { entry: latest.entry, tip: latest.tip, target: latest.target || null, dirty: false });
    // Once signed the note is the next change's reason: the last one's would be a stale answer.
    $("note").value = data.signedBy ? "" : latest.note || "";
  }
  showHistory();
  showSuggestion();
  showTag();
  $("injections").replaceChildren(...data.injections.map((i) => NL.el("li", {}, `${i.site}: ${i.injectate.kind} ${i.volumeMillilitres} mL`)));
  if (!image.src) {
    image.onload = () => { fit(); };
    image.src = data.still.image;
  } else {
    draw();
  }
}

// Once the record is signed every change here is an addendum, and the server wants to
// know why: the note for a needle or a tag, a "Why" field for the scale or an injection.
function showSigned(signed) {
  $("signed-notice").hidden = !signed;
  for (const label of document.querySelectorAll(".signed-only")) label.hidden = !signed;
  for (const name of ["note", "tag-note", "scale-reason", "inj-reason"]) $(name).required = signed;
  if (signed) for (const name of ["note", "tag-note"]) $(name).placeholder = "reason (required: the record is signed)";
}

// A reason to send: only once signed (before, the server has nothing to keep it in).
function reason(text) { return state.data.signedBy ? text : undefined; }

function showHistory() {
  const list = $("history");
  const revisions = state.data.annotations.revisions;
  if (!revisions.length) { list.replaceChildren(NL.el("li", {}, "Nothing drawn yet.")); return; }
  list.replaceChildren(...revisions.slice().reverse().map((r) => {
    const view = NL.el("button", { type: "button", class: "quiet", "data-view": r.revision }, "View");
    view.onclick = () => { state.viewing = state.viewing === r.revision ? null : r.revision; draw(); };
    const restore = NL.el("button", { type: "button", class: "quiet", "data-restore": r.revision }, "Restore");
    restore.onclick = () => restoreRevision(r.revision);
    const angle = state.data.measurements[r.revision - 1].angleDegrees;
    return NL.el("li", { "data-revision": r.revision }, `${r.revision}: ${r.author}, ${NL.date(r.createdAt)}, ${angle.toFixed(0)}°`,
      r.suggestedBy ? ` (accepted from the ${r.suggestedBy} suggestion)` : "", r.note ? ` “${r.note}”` : "", view,
      r === current() ? null : restore);
  }));
}

// The detector's line, computed when the still was stored: shown dashed with its
// confidence until the drawing is that line; never saved unless accepted.
function suggested() { const s = state.data.suggestion; return s && s.found ? s : null; }

function same(p, q) { return p && q && Math.hypot(p.x - q.x, p.y - q.y) < 0.05; }

function showsSuggestion() {
  const s = suggested();
  return s && !(same(state.entry, s.entry) && same(state.tip, s.tip));
}

function showSuggestion() {
  const s = state.data.suggestion;
  const accepted = current() && s && current().suggestedBy === s.detector && same(current().entry, s.entry) && same(current().tip, s.tip);
  $("suggestion").hidden = !s;
  $("accept").hidden = !suggested() || accepted;
  if (!s) return;
  $("suggestion-text").textContent = !s.found ? `No needle suggested: the detector (${s.detector}) found none.`
    : accepted ? `The suggested needle (${s.angleDegrees.toFixed(0)}°, confidence ${Math.round(s.confidence * 100)}%) is the saved revision.`
    : `Suggested needle (dashed): ${s.angleDegrees.toFixed(0)}°, confidence ${Math.round(s.confidence * 100)}%.`;
}

async function acceptSuggestion() {
  const s = suggested();
  if (!s) return;
  if (state.data.signedBy && !$("note").value.trim()) { NL.say("The record is signed: say why in the note.", "error"); $("note").focus(); return; }
  const body = { detector: s.detector, note: $("note").value };
  if (state.target) body.target = state.target;
  if (current()) body.basedOn = current().revision;
  try {
    const saved = await NL.api(`stills/${id}/accept-suggestion`, body);
    sessionStorage.removeItem(draftKey());
    state.dirty = false;
    NL.say(`The suggested needle is saved as revision ${saved.revision}.`, "ok");
    await load(false);
  } catch (error) {
    if (error.status === 409) { $("conflict-text").textContent = error.message; $("conflict").hidden = false; NL.say(""); }
    else NL.say(error.message, "error");
  }
}

$("accept").onclick = acceptSuggestion;

function showTag() {
  const revisions = state.data.tagHistory;
  const now = revisions[revisions.length - 1];
  $("tag-now").textContent = [now.site || "untagged", now.structure].filter(Boolean).join(" · ");
  $("tag-history").replaceChildren(...revisions.slice().reverse().map((r) =>
    NL.el("li", {}, `${r.revision}: ${[r.site || "untagged", r.structure].filter(Boolean).join(" ")} by ${r.author}${r.note ? ` (${r.note})` : ""}`)));
}

// --- drawing

function fit() {
  const width = $("viewport").clientWidth || image.naturalWidth;
  setZoom(Math.min(1, width / image.naturalWidth));
}

function setZoom(zoom) {
  state.zoom = Math.max(0.1, Math.min(8, zoom));
  canvas.width = Math.round(image.naturalWidth * state.zoom);
  canvas.height = Math.round(image.naturalHeight * state.zoom);
  canvas.dataset.zoom = String(state.zoom);
  $("zoom-shown").textContent = `${Math.round(state.zoom * 100)}%`;
  draw();
}

function screen(p) { return { x: p.x * state.zoom, y: p.y * state.zoom }; }

function draw() {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  const shown = state.viewing ? state.data.annotations.revisions[state.viewing - 1] : null;
  if (shown) drawNeedle(shown, true);
  const s = showsSuggestion() && !shown ? suggested() : null;
  if (s) drawSuggestion(s);
  canvas.dataset.suggestion = s ? `${s.entry.x.toFixed(1)},${s.entry.y.toFixed(1)}-${s.tip.x.toFixed(1)},${s.tip.y.toFixed(1)}` : "";
  if (state.entry && state.tip) drawNeedle(state, false);
  else if (state.entry) dot(state.entry, "#ffd700", 4);
  for (const tick of state.ticks) cross(tick, "#4fc3f7", 8);
  canvas.dataset.entry = state.entry ? `${state.entry.x.toFixed(1)},${state.entry.y.toFixed(1)}` : "";
  canvas.dataset.tip = state.tip ? `${state.tip.x.toFixed(1)},${state.tip.y.toFixed(1)}` : "";
  canvas.dataset.target = state.target ? `${state.target.x.toFixed(1)},${state.target.y.toFixed(1)}` : "";
  measure();
}

function drawNeedle(n, ghost) {
  const a = screen(n.entry), b = screen(n.tip);
  ctx.save();
  ctx.globalAlpha = ghost ? 0.6 : 1;
  ctx.setLineDash(ghost ? [6, 4] : []);
  ctx.strokeStyle = ghost ? "#ffffff" : "#ffd700";
  ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
  ctx.restore();
  if (ghost) return;
  dot(n.entry, state.selected === "entry" ? "#ffffff" : "#ffd700", 5);
  ring(n.tip, state.selected === "tip" ? "#ffffff" : "#e62828");
  if (n.target) cross(n.target, state.selected === "target" ? "#ffffff" : "#28dc5a", 9);
}

function drawSuggestion(s) {
  const a = screen(s.entry), b = screen(s.tip);
  ctx.save();
  ctx.setLineDash([10, 6]);
  ctx.strokeStyle = "#4fd8ff";
  ctx.lineWidth = 2;
  ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath(); ctx.arc(b.x, b.y, 6, 0, 2 * Math.PI); ctx.stroke();
  // The confidence beside the tip, on a dark ground so it reads on bright tissue.
  const label = `suggested ${Math.round(s.confidence * 100)}%`;
  ctx.font = "13px sans-serif";
  const w = ctx.measureText(label).width;
  const x = Math.min(Math.max(4, b.x + 10), canvas.width - w - 8), y = Math.min(Math.max(18, b.y + 20), canvas.height - 6);
  ctx.fillStyle = "rgba(0, 0, 0, 0.65)"; ctx.fillRect(x - 3, y - 14, w + 6, 18);
  ctx.fillStyle = "#4fd8ff"; ctx.fillText(label, x, y);
  ctx.restore();
}

function dot(p, colour, r) { const s = screen(p); ctx.fillStyle = colour; ctx.beginPath(); ctx.arc(s.x, s.y, r, 0, 2 * Math.PI); ctx.fill(); }
function ring(p, colour) { const s = screen(p); ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.beginPath(); ctx.arc(s.x, s.y, 8, 0, 2 * Math.PI); ctx.stroke(); }
function cross(p, colour, r) {
  const s = screen(p);
  ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.beginPath();
  ctx.moveTo(s.x - r, s.y); ctx.lineTo(s.x + r, s.y); ctx.moveTo(s.x, s.y - r); ctx.lineTo(s.x, s.y + r); ctx.stroke();
}

// What the drawing measures, as the server's NeedleGeometry computes it: asked once the
// points stop moving (a drag asks at its end, not at every pixel).
let measuring = null;
let measured = "";

function measure() {
  const { entry, tip, target, scale } = state;
  $("scale").textContent = scale ? `${scale.toFixed(3)} mm/px` : "not set";
  if (!entry || !tip || (entry.x === tip.x && entry.y === tip.y)) {
    for (const name of ["angle", "length", "depth", "to-target"]) $(name).textContent = "—";
    measured = "";
    return;
  }
  const drawing = JSON.stringify({ entry, tip, target: target || undefined, scale });
  if (drawing === measured) return;
  clearTimeout(measuring);
  measuring = setTimeout(async () => {
    try {
      const m = await NL.api(`stills/${encodeURIComponent(id)}/measure`, { entry, tip, target: target || undefined });
      measured = drawing;
      showMeasurements(m);
    } catch (error) { NL.say(error.message, "error"); }
  }, state.dragging ? 250 : 60);
}

function showMeasurements(m) {
  const mm = (value) => `${value.toFixed(1)} mm`;
  $("angle").textContent = `${m.angleDegrees.toFixed(1)}°`;
  $("length").textContent = m.lengthMillimetres != null ? mm(m.lengthMillimetres) : `${m.lengthPixels.toFixed(0)} px`;
  $("depth").textContent = m.tipDepthMillimetres != null ? mm(m.tipDepthMillimetres) : "set the scale";
  $("to-target").textContent = m.tipToTargetMillimetres != null ? mm(m.tipToTargetMillimetres)
    : m.tipToTargetPixels != null ? `${m.tipToTargetPixels.toFixed(0)} px` : "—";
  $("angle").dataset.measured = "server";
}

// --- pointer and keys

function imagePoint(event) {
  const box = canvas.getBoundingClientRect();
  const x = (event.clientX - box.left) / state.zoom, y = (event.clientY - box.top) / state.zoom;
  return { x: Math.max(0, Math.min(image.naturalWidth, Math.round(x * 10) / 10)), y: Math.max(0, Math.min(image.naturalHeight, Math.round(y * 10) / 10)) };
}

function near(p, q) { return q && Math.hypot(p.x - q.x, p.y - q.y) * state.zoom <= 9; }

canvas.addEventListener("pointerdown", (event) => {
  event.preventDefault();
  canvas.focus();
  canvas.setPointerCapture(event.pointerId);
  const p = imagePoint(event);
  state.viewing = null;
  for (const name of ["tip", "entry", "target"]) {
    if (near(p, state[name])) { state.selected = name; state.dragging = name; draw(); return; }
  }
  if (state.mode === "needle") {
    if (state.pendingTip && state.entry) { state.tip = p; state.pendingTip = false; } else { state.entry = p; state.tip = { ...p }; }
    state.selected = "tip"; state.dragging = "tip";
  } else if (state.mode === "target") {
    state.target = p; state.selected = "target"; state.dragging = "target";
  } else if (state.mode === "scale") {
    state.ticks = state.ticks.length >= 2 ? [p] : [...state.ticks, p];
    showScalePanel();
  }
  keepDraft();
  draw();
});

canvas.addEventListener("pointermove", (event) => {
  if (!state.dragging) return;
  state[state.dragging] = imagePoint(event);
  draw();
});

canvas.addEventListener("pointerup", () => {
  if (state.dragging === "tip" && state.entry && state.tip && state.entry.x === state.tip.x && state.entry.y === state.tip.y) {
    state.pendingTip = true; // a click, not a drag: the next click places the tip
  }
  if (state.dragging) keepDraft();
  state.dragging = null;
  draw();
});

canvas.addEventListener("keydown", (event) => {
  const step = event.shiftKey ? 10 : 1;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  if (moves[event.key] && state.selected && state[state.selected]) {
    event.preventDefault();
    const p = state[state.selected];
    state[state.selected] = { x: p.x + moves[event.key][0], y: p.y + moves[event.key][1] };
    keepDraft();
    draw();
  }
});

document.addEventListener("keydown", (event) => {
  if (event.target.tagName === "INPUT" || event.target.tagName === "TEXTAREA") return;
  if (event.key === "+" || event.key === "=") setZoom(state.zoom * 1.25);
  if (event.key === "-") setZoom(state.zoom / 1.25);
  if (event.key === "a" && !$("accept").hidden && !$("suggestion").hidden) { acceptSuggestion(); return; }
  const modes = { n: "needle", t: "target", s: "scale" };
  if (modes[event.key]) setMode(modes[event.key]);
});

function setMode(mode) {
  state.mode = mode;
  for (const b of document.querySelectorAll("[data-mode]")) b.classList.toggle("on", b.dataset.mode === mode);
  $("hint").textContent = {
    needle: "Drag from where the needle enters to its tip. Arrow keys nudge the selected point (Shift: 10 px).",
    target: "Click the target. Drag it to move it.",
    scale: "Click two ticks of the depth scale, then give the millimetres between them.",
  }[mode];
}

for (const b of document.querySelectorAll("[data-mode]")) b.onclick = () => setMode(b.dataset.mode);
$("zoom-in").onclick = () => setZoom(state.zoom * 1.25);
$("zoom-out").onclick = () => setZoom(state.zoom / 1.25);
$("zoom-fit").onclick = fit;
$("note").oninput = keepDraft;
$("clear").onclick = () => { Object.assign(state, { entry: null, tip: null, target: null, selected: null, pendingTip: false }); keepDraft(); draw(); };

function showScalePanel() {
  $("scale-panel").hidden = state.ticks.length < 2;
  if (state.ticks.length === 2) $("tick-pixels").textContent = Math.hypot(state.ticks[0].x - state.ticks[1].x, state.ticks[0].y - state.ticks[1].y).toFixed(1);
}

$("save-scale").onclick = async () => {
  const [a, b] = state.ticks;
  try {
    const answer = await NL.api(`sessions/${state.data.still.session}/scale`, { pixels: Math.hypot(a.x - b.x, a.y - b.y), millimetres: Number($("tick-mm").value),
      reason: reason($("scale-reason").value) });
    $("scale-reason").value = "";
    state.scale = answer.millimetresPerPixel;
    state.ticks = [];
    showScalePanel();
    setMode("needle");
    NL.say(`Scale set: ${state.scale.toFixed(3)} mm per pixel for every still of this session.`, "ok");
    draw();
  } catch (error) { NL.say(error.message, "error"); }
};

// --- saving

async function save(basedOn) {
  if (!state.entry || !state.tip) { NL.say("Draw the needle first: drag from its entry to its tip.", "error"); return; }
  if (state.data.signedBy && !$("note").value.trim()) { NL.say("The record is signed: say why in the note.", "error"); $("note").focus(); return; }
  const body = { entry: state.entry, tip: state.tip, note: $("note").value };
  if (state.target) body.target = state.target;
  if (basedOn) body.basedOn = basedOn;
  try {
    const saved = await NL.api(`stills/${id}/annotation`, body);
    sessionStorage.removeItem(draftKey());
    state.dirty = false;
    $("conflict").hidden = true;
    NL.say(`Saved as revision ${saved.revision}.`, "ok");
    await load(true);
  } catch (error) {
    if (error.status === 409) {
      $("conflict-text").textContent = error.message;
      $("conflict").hidden = false;
      NL.say("");
    } else {
      NL.say(error.message, "error");
    }
  }
}

$("save").onclick = () => save(current() ? current().revision : undefined);
$("save-mine").onclick = async () => {
  const mine = { entry: state.entry, tip: state.tip, target: state.target };
  await load(true);
  Object.assign(state, mine);
  save(current() ? current().revision : undefined);
};
$("load-theirs").onclick = async () => {
  sessionStorage.removeItem(draftKey());
  $("conflict").hidden = true;
  state.dirty = false;
  await load(false);
  NL.say("Their revision is shown. Your drawing was not saved.", "ok");
};

async function restoreRevision(revision) {
  let why;
  if (state.data.signedBy) {
    why = prompt(`The record is signed: restoring revision ${revision} is an addendum. Why?`);
    if (!why || !why.trim()) return;
  }
  try {
    const saved = await NL.api(`stills/${id}/restore`, { revision, basedOn: current().revision, reason: why });
    sessionStorage.removeItem(draftKey());
    NL.say(`Revision ${revision} restored as revision ${saved.revision}.`, "ok");
    await load(false);
  } catch (error) { NL.say(error.message, error.status === 409 ? "error" : "error"); }
}

$("retag").onsubmit = async (event) => {
  event.preventDefault();
  const revisions = state.data.tagHistory;
  try {
    await NL.api(`stills/${id}/tag`, { site: $("tag-site").value, structure: $("tag-structure").value, side: $("tag-side").value,
      note: $("tag-note").value, basedOn: revisions[revisions.length - 1].revision });
    NL.say("Tag corrected; the old tag is kept in the history.", "ok");
    await load(true);
  } catch (error) { NL.say(error.message, "error"); }
};

$("injection").onsubmit = async (event) => {
  event.preventDefault();
  const kind = $("inj-kind").value, detail = $("inj-detail").value;
  const injectate = { prolotherapy: { kind, dextrosePercent: Number(detail), additives: [] }, prp: { kind, leukocytes: "poor", activated: false },
    bmc: { kind }, other: { kind, description: detail } }[kind];
  try {
    await NL.api(`stills/${id}/injection`, { injectate, volumeMillilitres: Number($("inj-volume").value), reason: reason($("inj-reason").value) });
    $("inj-reason").value = "";
    NL.say("Injection recorded.", "ok");
    await load(true);
  } catch (error) { NL.say(error.message, "error"); }
};

window.addEventListener("beforeunload", (event) => { if (state.dirty) event.preventDefault(); });
window.addEventListener("resize", () => { if (image.naturalWidth && state.zoom <= 1) fit(); });

NL.signedIn().then(() => load(false)).catch((error) => NL.say(error.message, "error"));
