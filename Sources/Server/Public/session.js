// One session: facts, the tag timeline with the stills on it, and the stills as thumbnails.
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
      fact("Physician", s.physician), fact("Tech", s.tech), fact("Status", s.status),
      fact("Indication", s.indication),
      fact("Pain before / after", `${s.painScores?.before ?? "—"} / ${s.painScores?.after ?? "—"}`),
      fact("Scale", data.millimetresPerPixel ? `${data.millimetresPerPixel.toFixed(3)} mm/px` : "not set"));
    document.getElementById("series-link").href = `/series?patient=${encodeURIComponent(data.patient.id)}`;
    document.getElementById("report-link").href = `/api/sessions/${id}/report`;
    drawTimeline(data);
    recordVersion = data.revision ? data.revision.version : undefined;
    fillRecord(s);
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

// The physician completes the record: indication, pain scores, a follow-up, notes.
function fillRecord(s) {
  const form = document.getElementById("record");
  form.hidden = NL.me.role !== "physician";
  document.getElementById("indication").value = s.indication || "";
  document.getElementById("pain-before").value = s.painScores?.before ?? "";
  document.getElementById("pain-after").value = s.painScores?.after ?? "";
  document.getElementById("notes").value = s.notes || "";
}

document.getElementById("record").onsubmit = async (event) => {
  event.preventDefault();
  const number = (id) => { const v = document.getElementById(id).value; return v === "" ? undefined : Number(v); };
  const body = { indication: document.getElementById("indication").value, notes: document.getElementById("notes").value,
    painBefore: number("pain-before"), painAfter: number("pain-after") };
  if (number("follow-days") !== undefined && number("follow-score") !== undefined) body.followUp = { daysAfter: number("follow-days"), score: number("follow-score") };
  body.version = recordVersion;
  try {
    await NL.api(`sessions/${NL.param("id")}/record`, body);
    NL.say("Record saved.", "ok");
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

// The recording around a still, converted by the server to WebM whatever it was recorded in.
function playAround(session, still) {
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
