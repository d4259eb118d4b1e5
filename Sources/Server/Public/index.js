// Sign in, then go where the user was going, or to their role's first page.
"use strict";

// The daemon decides where to go (`location`: one of its own pages, else the role's
// first page); the browser checks once more that the answer stays on this origin, so a
// crafted link (`?next=/\evil.example`, `//evil`, `https://evil`) can never lead away.
function local(path) {
  try {
    const url = new URL(path || "/sessions", location.origin);
    if (url.origin === location.origin && url.pathname !== "/") return url.pathname + url.search;
  } catch (_) { /* not a URL at all */ }
  return "/sessions";
}

const next = NL.param("next") || "";

(async () => {
  const response = await fetch("/api/me?next=" + encodeURIComponent(next), { credentials: "same-origin" });
  if (response.ok) location.replace(local((await response.json()).location));
})();

document.getElementById("login").onsubmit = async (event) => {
  event.preventDefault();
  NL.say("");
  try {
    const me = await NL.api("login", { user: document.getElementById("user").value, password: document.getElementById("password").value, next });
    location.href = local(me.location);
  } catch (error) {
    NL.say(error.message, "error");
    document.getElementById("password").value = "";
  }
};
