// Faults the tech must see (and hear) at the table: no signal from the scanner, the
// disk filling up, a session that ended for a reason. Called by tech.js with each status.
"use strict";

let lastAlert = "";

function beep() {
  // Two short tones; the page may not play sound before the tech has touched it once.
  try {
    const audio = new AudioContext();
    [0, 0.35].forEach((at) => {
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start(audio.currentTime + at);
      tone.stop(audio.currentTime + at + 0.2);
    });
  } catch (error) { /* no sound available: the banner still shows */ }
}

function alertFor(status) {
  const source = status.source;
  if (status.state === "recording" && source && !source.signal) {
    const seconds = Math.floor(source.noSignalSeconds);
    return { level: "error", text: `NO SIGNAL for ${seconds} s: check the scanner's video output and cable. Recording goes on when the picture returns.` };
  }
  const journal = status.journal;
  if (journal && journal.waiting > 0) {
    const items = journal.waiting === 1 ? "1 item" : `${journal.waiting} items`;
    return journal.offline
      ? { level: "warning", text: `ARCHIVE OFFLINE: ${items} waiting on this station. Recording and stills go on; they are sent to the archive when its database is back.` }
      : { level: "notice", text: `Sending to the archive: ${items} waiting on this station.` };
  }
  const backlog = status.archive;
  if (backlog && backlog.writes > 0 && backlog.oldestSeconds >= 2) {
    return { level: "warning", text: `ARCHIVE BUSY: ${backlog.writes} tags and stills wait for the database (${backlog.cause || "another program holds it"}). They are kept and saved when it is free; recording goes on.` };
  }
  if (status.disk && status.disk.warning) {
    return { level: status.disk.level === "critical" ? "error" : "warning", text: status.disk.warning };
  }
  const ris = status.ris;
  if (ris && ris.waiting > 0) {
    const messages = ris.waiting === 1 ? "1 procedure step message waits" : `${ris.waiting} procedure step messages wait`;
    return { level: "notice", text: `RIS NOT TOLD YET: ${messages} for ${ris.ris} (${ris.problem}). Recording goes on; they are kept and sent when the RIS answers.` };
  }
  if (status.state !== "recording" && status.statusReason) {
    return { level: "notice", text: `The last session ended: ${status.statusReason}` };
  }
  return null;
}

function showAlerts(status) {
  const box = document.getElementById("alert");
  const alert = alertFor(status);
  box.hidden = !alert;
  if (!alert) { lastAlert = ""; return; }
  box.textContent = alert.text;
  box.className = alert.level;
  // Sound once when a fault begins or gets worse, not at every refresh.
  const key = `${alert.level}:${alert.text.replace(/\d+ s\b/, "")}`;
  if (key !== lastAlert && alert.level !== "notice") beep();
  lastAlert = key;
}
