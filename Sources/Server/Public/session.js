// One session: facts, the signature and addenda, the tag timeline with the stills on it,
// and the stills as thumbnails.
"use strict";

// The version of the record the form was filled from: a save over a newer one is refused.
let recordVersion;

function fact(label, value) { return NL.el("div", {}, NL.el("b", {}, label), value || "—"); }

async function load() {
  const id = NL.param("id");
  try {
    const data = await NL.api(`sessions/${encodeURIComponent(id)}`);
    const s = data.session;
    document.getElementById("title").textContent = `${data.patient.name} · ${NL.date(s.startedAt)}`;
    document.getElementById("facts").replaceChildren(
      fact("Patient", `${data.patient.name} (${data.patient.id}), born ${data.patient.birthDate}`),
      fact("Treatment", `${s.treatment.number} of ${s.treatment.planned}`),
      fact("Physician", NL.staff(s.physician, data.physicianName)), fact("Tech", NL.staff(s.tech, data.techName)), fact("Status", s.status),
      fact("Indication", s.indication),
      fact("Pain before / after", `${s.painScores?.before ?? "—"} / ${s.painScores?.after ?? "—"}`),
      fact("Scale", data.millimetresPerPixel ? `${data.millimetresPerPixel.toFixed(3)} mm/px` : "not set"));
    showSignature(data);
    showAddenda(data);
    document.getElementById("series-link").href = `/series?patient=${encodeURIComponent(data.patient.id)}`;
    document.getElementById("report-link").href = `/api/sessions/${id}/report`;
    drawTimeline(data);
    listParts(id, data.parts);
    recordVersion = data.revision ? data.revision.version : undefined;
    // Once signed, the form edits the record as it is now, not as it was signed.
    fillRecord(data.amended || s, Boolean(data.signedBy));
    document.getElementById("stills").replaceChildren(...data.stills.map((still) => {
      const card = NL.thumbnail(still);
      if (data.recording) {
        const play = NL.el("button", { type: "button", class: "quiet play", "data-play": still.id, title: "the recording 5 s either side" }, "▶ recording");
        play.onclick = (event) => { event.preventDefault(); playAround(id, still); };
        card.append(play);
      }
      return card;
    }));
    if (!data.stills.length) NL.say("This session has no stills.");
  } catch (error) {
    NL.say(error.message, "error");
  }
}

// Who signed and what (the SHA-256 of the signed record), or "Not signed"; the Sign
// button is for the session's own physician once the recording has ended.
function showSignature(data) {
  const s = data.session;
  const text = document.getElementById("signature-text");
  document.getElementById("signature").classList.toggle("signed", Boolean(data.signedBy));
  if (data.signedBy) {
    text.replaceChildren(`Signed by ${NL.staff(data.signedBy, data.signedByName)} on ${NL.date(data.signedAt)} · `,
      NL.el("code", { title: data.recordHash }, (data.recordHash || "").slice(0, 12)));
  } else {
    text.textContent = "Not signed";
  }
  const mine = NL.me.role === "physician" && NL.me.user === s.physician;
  document.getElementById("sign").hidden = !(mine && s.status !== "recording" && !data.signedBy);
  if (data.signedBy) document.getElementById("sign-form").hidden = true;
}

document.getElementById("sign").onclick = () => {
  document.getElementById("sign-form").hidden = false;
  document.getElementById("sign-password").focus();
};

document.getElementById("sign-form").onsubmit = async (event) => {
  event.preventDefault();
  const password = document.getElementById("sign-password");
  try {
    // The version shown: the server refuses to sign a record changed since this page read it.
    await NL.api(`sessions/${NL.param("id")}/sign`, { password: password.value, version: recordVersion });
    password.value = "";
    NL.say("Record signed.", "ok");
    load();
  } catch (error) {
    password.value = "";
    NL.say(error.message, "error");
  }
};

// Changes made after signing, oldest first; the facts above stay as signed.
function showAddenda(data) {
  const addenda = data.addenda || [];
  document.getElementById("addenda").hidden = !addenda.length;
  document.getElementById("addendum-list").replaceChildren(...addenda.map((a) => NL.el("li", { "data-addendum": a.number },
    NL.el("b", {}, `Addendum ${a.number} · ${a.authorName || a.author} · ${NL.date(a.createdAt)}`),
    NL.el("div", {}, `Reason: ${a.reason}`),
    NL.el("ul", {}, a.changes.map((c) => {
      const words = `${c.field}: ${c.before} → ${c.after}`;
      return NL.el("li", {}, c.still ? NL.el("a", { href: `/still?id=${c.still.toLowerCase()}` }, words) : words);
    })))));
  // The record as it is now, so nobody mistakes the signed values above for the current ones.
  const now = data.amended;
  const amended = document.getElementById("amended");
  amended.hidden = !now;
  if (now) {
    amended.textContent = [`As amended: indication ${now.indication || "—"}`,
      `pain before / after ${now.painScores?.before ?? "—"} / ${now.painScores?.after ?? "—"}`,
      `complications ${now.complications?.join(", ") || "—"}`, `notes ${now.notes || "—"}`].join(" · ");
  }
}

// The physician completes the record: indication, pain scores, a follow-up, notes. Once
// it is signed, a save is an addendum and needs a reason.
function fillRecord(s, signed) {
  const form = document.getElementById("record");
  form.hidden = NL.me.role !== "physician";
  form.dataset.signed = signed ? "true" : "";
  document.getElementById("indication").value = s.indication || "";
  document.getElementById("pain-before").value = s.painScores?.before ?? "";
  document.getElementById("pain-after").value = s.painScores?.after ?? "";
  document.getElementById("notes").value = s.notes || "";
  document.getElementById("reason-label").hidden = !signed;
  document.getElementById("reason").required = signed;
  document.getElementById("save-record").textContent = signed ? "Save as addendum" : "Save record";
}

document.getElementById("record").onsubmit = async (event) => {
  event.preventDefault();
  const number = (id) => { const v = document.getElementById(id).value; return v === "" ? undefined : Number(v); };
  const body = { indication: document.getElementById("indication").value, notes: document.getElementById("notes").value,
    painBefore: number("pain-before"), painAfter: number("pain-after") };
  if (number("follow-days") !== undefined && number("follow-score") !== undefined) body.followUp = { daysAfter: number("follow-days"), score: number("follow-score") };
  body.version = recordVersion;
  const signed = Boolean(event.target.dataset.signed);
  if (signed) body.reason = document.getElementById("reason").value;
  try {
    await NL.api(`sessions/${NL.param("id")}/record`, body);
    document.getElementById("reason").value = "";
    NL.say(signed ? "Addendum saved." : "Record saved.", "ok");
    load();
  } catch (error) {
    // Someone saved in between: say who, and keep what was typed until the physician
    // chooses to load theirs (the form is then refilled from the stored record).
    NL.say(error.message, "error");
    if (error.status === 409) {
      const reload = NL.el("button", { type: "button", id: "load-theirs" }, "Load their version");
      reload.onclick = () => load();
      document.getElementById("message").append(" ", reload);
    }
  }
};

// The procedure's parts: one, or more when it was cut short (a crash, a restart) and
// continued. Each part has its own recording; they play one after another.
function listParts(id, parts) {
  const playable = parts.filter((part) => part.recording);
  document.getElementById("parts").hidden = !playable.length;
  const many = parts.length > 1;
  document.getElementById("part-list").replaceChildren(...parts.map((part) => {
    const span = part.endedAt ? `${NL.date(part.startedAt)} – ${new Date(part.endedAt).toLocaleTimeString()}` : NL.date(part.startedAt);
    const words = [`${many ? `Part ${part.part}` : "The recording"}`, span, part.status + (part.reason ? `: ${part.reason}` : ""),
      `${part.stills} still${part.stills === 1 ? "" : "s"}`].join(" · ");
    const here = part.id === id.toLowerCase();
    const item = NL.el("li", { "data-part": part.part, class: here ? "here" : "" },
      here || !many ? words : NL.el("a", { href: `/session?id=${part.id}` }, words));
    if (part.recording) {
      const play = NL.el("button", { type: "button", class: "quiet" }, "▶ from here");
      play.onclick = () => playProcedure(parts.slice(parts.indexOf(part)));
      item.append(" ", play);
    }
    return item;
  }));
  document.getElementById("play-procedure").onclick = () => playProcedure(parts);
}

// A whole recording is converted by the server 10 s at a time (browsers do not play
// MJPEG or Matroska); the next piece is fetched while one plays, part after part.
const PIECE = 10;
let playing = 0;

async function* pieces(parts) {
  for (const part of parts.filter((p) => p.recording)) {
    for (let at = 0; at < 24 * 3600; at += PIECE) {
      const response = await fetch(`${part.recording}?at=${at}&before=0&after=${PIECE}`, { credentials: "same-origin" });
      // The server converts a few at once: wait and ask again.
      if (response.status === 503) { await new Promise((r) => setTimeout(r, 1000)); at -= PIECE; continue; }
      if (!response.ok) break;  // past the part's end: on to the next part
      yield { part, at, url: URL.createObjectURL(await response.blob()) };
    }
  }
}

async function playProcedure(parts) {
  const run = ++playing;
  const box = document.getElementById("playback");
  const player = document.getElementById("player");
  const title = document.getElementById("playback-title");
  box.hidden = false;
  title.textContent = "Recording · converting…";
  box.scrollIntoView({ behavior: "smooth" });
  const source = pieces(parts);
  let next = source.next();
  for (;;) {
    const { value: piece, done } = await next;
    if (done || run !== playing) break;
    next = source.next();
    const minutes = `${Math.floor(piece.at / 60)}:${String(piece.at % 60).padStart(2, "0")}`;
    title.textContent = `${parts.length > 1 ? `Part ${piece.part.part} of ${parts[parts.length - 1].part}` : "Recording"} · from ${minutes}`;
    player.dataset.part = piece.part.part;
    player.dataset.at = piece.at;
    player.onerror = null;
    player.src = piece.url;
    player.play().catch(() => {});
    await new Promise((resolve) => { player.onended = resolve; player.onerror = resolve; });
    URL.revokeObjectURL(piece.url);
  }
  if (run === playing) title.textContent = "Recording · played to the end";
}

// The recording around a still, converted by the server to WebM whatever it was recorded in.
function playAround(session, still) {
  playing++;  // ends a procedure playing
  const box = document.getElementById("playback");
  const player = document.getElementById("player");
  box.hidden = false;
  document.getElementById("playback-title").textContent = `Recording around ${still.time.toFixed(1)} s (${still.site || "untagged"}) · converting…`;
  player.onloadeddata = () => { document.getElementById("playback-title").textContent = `Recording ${Math.max(0, still.time - 5).toFixed(1)}-${(still.time + 5).toFixed(1)} s (${still.site || "untagged"})`; };
  player.onerror = () => { NL.say("The recording could not be played here.", "error"); };
  player.src = `/api/sessions/${session}/clip?at=${still.time}`;
  player.play().catch(() => {});
  box.scrollIntoView({ behavior: "smooth" });
}

function drawTimeline(data) {
  const box = document.getElementById("timeline");
  const end = Math.max(1, ...data.stills.map((s) => s.time), ...data.tags.map((t) => t.time + 1));
  const x = (t) => `${(100 * t) / end}%`;
  box.replaceChildren();
  data.tags.forEach((tag, i) => {
    const next = data.tags[i + 1] ? data.tags[i + 1].time : end;
    const label = [tag.site, tag.structure].filter(Boolean).join(" ");
    const bar = NL.el("div", { class: "tag", title: `${tag.time.toFixed(1)} s: ${label}` }, label);
    bar.style.left = x(tag.time);
    bar.style.width = x(next - tag.time);
    box.append(bar);
  });
  for (const still of data.stills) {
    const mark = NL.el("a", { class: "still", href: `/still?id=${still.id}`, title: `${still.time.toFixed(1)} s ${still.site || ""}` });
    mark.style.left = x(still.time);
    box.append(mark);
  }
}

NL.signedIn().then(load);
