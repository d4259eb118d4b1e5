// The tech's page: start and stop a session, pick what is on screen, snap stills.
// Plain JavaScript against the daemon's JSON API; no build step.
"use strict";

// Levels, structures and sides come from the server's anatomy catalogue (NL.anatomy).
let PICKS = [];
const REGION_OF = {};
// Footswitch and keyboard: the daemon's [keys] settings, overridden on one browser by
// storing {"snap":..,"next":..,"previous":..} as needlelog.keys in localStorage.
const KEYS = { snap: "F5", next: "F6", previous: "F7" };

const state = { pick: null, structure: null, side: null, recording: false };
const $ = (id) => document.getElementById(id);

// The daemon's API through the pages' shared helper (CSRF token, sign-in redirect).
// The page's own polling is not the tech doing anything: it keeps no one signed in.
function api(path, body) {
  return NL.api(path, body, undefined, path === "status" ? { "X-NeedleLog-Poll": "1" } : undefined);
}

function say(message) { $("message").textContent = message || ""; }

// Items are [value, label] or [value, label, regions] (the structures, offered by region).
function buttons(container, items, onClick) {
  for (const [value, label, regions] of items) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.dataset.value = value;
    if (regions) button.dataset.regions = regions.join(" ");
    if (value.includes("-") && container.id === "levels") button.classList.add("segment");
    button.addEventListener("click", () => onClick(value));
    container.appendChild(button);
  }
}

function mark(container, value) {
  for (const button of container.querySelectorAll("button")) button.classList.toggle("on", button.dataset.value === value);
}

// Only the structures that lie in the picked level's region are offered.
function offerStructures() {
  const region = state.pick ? REGION_OF[state.pick.split("-")[0]] : null;
  for (const button of $("structures").querySelectorAll("button")) {
    button.hidden = Boolean(region) && !button.dataset.regions.split(" ").includes(region);
  }
}

async function sendTag() {
  offerStructures();
  mark($("levels"), state.pick);
  mark($("structures"), state.structure);
  mark($("sides"), state.side);
  $("level-shown").textContent = state.pick || "—";
  if (!state.pick) return;
  if (!state.recording) { say("start a session to tag"); return; }
  try {
    const tag = await api("tag", { site: state.pick, structure: state.structure, side: state.side });
    $("tag-shown").textContent = tag.tag;
    say("");
  } catch (error) { say(error.message); }
}

function pickLevel(value) { state.pick = value; sendTag(); }
function stepLevel(delta) {
  const index = state.pick ? PICKS.indexOf(state.pick) : PICKS.indexOf("L4-L5") - delta;
  pickLevel(PICKS[Math.max(0, Math.min(PICKS.length - 1, index + delta))]);
}

async function snap() {
  try { await api("snap", {}); say("still taken"); } catch (error) { say(error.message); }
}

function minutes(seconds) {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

async function refresh() {
  try {
    const status = await api("status");
    showAlerts(status);
    state.recording = status.state === "recording";
    $("state").textContent = state.recording
      ? `recording ${status.patient}` + (status.order && status.order.accessionNumber ? ` · accession ${status.order.accessionNumber}` : "")
      : "idle";
    $("state").className = state.recording ? "recording" : "idle";
    $("elapsed").textContent = minutes(status.elapsed);
    $("fps").textContent = status.framesPerSecond.toFixed(0);
    $("skipped").textContent = status.counters.framesSkipped;
    $("stills").textContent = status.counters.stills;
    const strip = $("strip");
    const ids = status.lastStills.map((still) => still.id).join(",");
    if (strip.dataset.ids !== ids) {
      strip.dataset.ids = ids;
      strip.replaceChildren(...status.lastStills.slice().reverse().map((still) => {
        const image = document.createElement("img");
        image.src = `/api/stills/${still.id}.png`;
        image.alt = `${still.reason} ${still.tag || ""}`;
        image.title = image.alt;
        return image;
      }));
    }
    showContinuable(state.recording ? null : status.continuable);
    if (state.recording && status.currentTag && status.currentTag !== $("tag-shown").textContent) followTag(status.currentTag);
    showVoice(status.voice);
    // The live picture: a JPEG stream the browser shows as it arrives; hidden while nothing records.
    $("preview").hidden = !state.recording;
    if (state.recording && !$("preview").src.includes("preview.mjpeg")) $("preview").src = `/api/preview.mjpeg?t=${Date.now()}`;
    if (!state.recording && $("preview").src.includes("preview.mjpeg")) $("preview").src = "data:,";
  } catch (error) { say(error.message); }
}

// A tag made elsewhere (a voice command, the command line): the buttons show it, and the
// next press starts from it. "left L5-S1 facet-capsule": side, site, structure.
function followTag(text) {
  $("tag-shown").textContent = text;
  const words = text.split(" ");
  const sides = ["left", "right", "bilateral", "midline"];
  state.side = sides.includes(words[0]) ? words[0] : null;
  state.pick = words.find((word) => PICKS.includes(word)) || state.pick;
  const last = words[words.length - 1];
  state.structure = $("structures").querySelector(`button[data-value="${CSS.escape(last)}"]`) ? last : null;
  offerStructures();
  mark($("levels"), state.pick);
  mark($("structures"), state.structure);
  mark($("sides"), state.side);
  $("level-shown").textContent = state.pick || "—";
}

// Spoken commands: what was heard last, what it did (a voice tag can be undone here), or
// why the station is not listening.
function showVoice(voice) {
  $("voice").hidden = !voice;
  if (!voice) return;
  const last = voice.heard ? `Heard “${voice.heard}”: ${voice.did}` : "";
  let text;
  if (!voice.listening) text = `Voice off: ${voice.problem || "not listening"}` + (last ? `. Last: ${last}` : "");
  else text = last || "Listening: say “okay needle” and a level, structure and side, “snap” or “undo”.";
  $("voice-heard").textContent = text;
  $("voice-heard").className = voice.listening ? "" : "warning";
  $("voice-undo").hidden = !voice.canUndo;
}

async function undoVoice() {
  try { const voice = await api("voice/undo", {}); showVoice(voice); say(""); } catch (error) { say(error.message); }
}

// The last session was cut short (the daemon crashed or restarted, the source was lost):
// one press records its next part, for the same patient and procedure.
function showContinuable(last) {
  $("continue").hidden = !last;
  if (!last) return;
  const at = new Date(last.endedAt || last.startedAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  $("continue-text").textContent = `Patient ${last.patient}: part ${last.part} was ${last.status} at ${at}` +
    `${last.reason ? ` — ${last.reason}` : ""}. ${last.stills} still${last.stills === 1 ? "" : "s"} kept.`;
  $("continue-button").textContent = `Continue as part ${last.part + 1}`;
  $("continue-button").dataset.session = last.session;
}

$("continue-button").addEventListener("click", async () => {
  try {
    await api("session/start", { continues: $("continue-button").dataset.session });
    state.recording = true;
    say("recording the next part");
    if (state.pick) sendTag();
  } catch (error) { say(error.message); }
  refresh();
});

$("start-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const patient = $("patient").value.trim();
    // The order picked from the worklist goes with its own patient only.
    const order = state.order && state.order.patient === patient ? state.order.order : undefined;
    await api("session/start", {
      patient, treatment: $("treatment").value.trim(),
      physician: $("physician").value || undefined, order,
    });
    // An order is carried out once: the next session picks again.
    state.order = null;
    $("order-picked").hidden = true;
    state.recording = true;
    say("recording");
    if (state.pick) sendTag();
  } catch (error) {
    // A RIS order the archive cannot keep (too long, a bad UID) must not hold up the table.
    say(error.message + (state.order ? " (press “Not this order” to start without the RIS order)" : ""));
  }
  refresh();
});
// The patient field suggests ids and names as the tech types; a new patient is added here too.
$("patient").addEventListener("input", async () => {
  const typed = $("patient").value.trim();
  if (typed.length < 2) return;
  try {
    const { patients } = await api(`patients?q=${encodeURIComponent(typed)}`);
    $("patients").replaceChildren(...patients.map((p) => {
      const option = document.createElement("option");
      option.value = p.id;
      option.label = `${p.name}, born ${p.birthDate}`;
      return option;
    }));
  } catch (_) { /* suggestions are a convenience */ }
});
$("new-patient").addEventListener("click", () => { $("patient-form").hidden = !$("patient-form").hidden; });
$("patient-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const added = await api("patients", { id: $("new-id").value.trim(), familyName: $("new-family").value.trim(),
      givenName: $("new-given").value.trim(), birthDate: $("new-born").value, sex: $("new-sex").value });
    $("patient").value = added.id;
    $("patient-form").hidden = true;
    say(`patient ${added.id} added`);
  } catch (error) { say(error.message); }
});
// The physician is one of the clinic's physician accounts, by name; with only one, it is chosen.
async function offerPhysicians() {
  try {
    const { staff } = await api("staff?duty=physician");
    const options = staff.map((m) => NL.el("option", { value: m.name }, `${NL.person(m.person)} (${m.name})`));
    $("physician").replaceChildren(NL.el("option", { value: "" }, staff.length ? "choose…" : "no physician accounts yet"), ...options);
    if (staff.length === 1) $("physician").value = staff[0].name;
    else if (NL.me.role === "physician") $("physician").value = NL.me.user;
  } catch (error) { say(error.message); }
}

$("stop").addEventListener("click", async () => {
  try { await api("session/stop", {}); say("session stopped"); } catch (error) { say(error.message); }
  refresh();
});
$("snap").addEventListener("click", snap);
$("voice-undo").addEventListener("click", undoVoice);
document.addEventListener("keydown", (event) => {
  if (event.target.tagName === "INPUT") return;
  if (event.key === KEYS.snap) { event.preventDefault(); snap(); }
  else if (event.key === KEYS.next) { event.preventDefault(); stepLevel(1); }
  else if (event.key === KEYS.previous) { event.preventDefault(); stepLevel(-1); }
});

NL.signedIn().then(async () => {
  const { levels, structures, sides } = await NL.anatomy();
  PICKS = NL.picks(levels);
  for (const level of levels) REGION_OF[level.name] = level.region;
  buttons($("levels"), PICKS.map((p) => [p, p]), pickLevel);
  buttons($("structures"), structures.map((s) => [s.id, s.name, s.regions]), (value) => { state.structure = state.structure === value ? null : value; sendTag(); });
  buttons($("sides"), sides.map((s) => [s, s]), (value) => { state.side = state.side === value ? null : value; sendTag(); });
  Object.assign(KEYS, await api("page-settings"), JSON.parse(localStorage.getItem("needlelog.keys") || "{}"));
  $("keys").textContent = `${KEYS.snap} snap · ${KEYS.next} next level · ${KEYS.previous} previous level`;
  $("who").textContent = `${NL.me.user} · ${NL.me.role}`;
  offerPhysicians();
  refresh();
  setInterval(refresh, 300);
});
