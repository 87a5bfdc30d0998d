// Keeps the parts of a page marked data-live-refresh="URL" up to date while it is open: every
// data-live-every seconds (default 2) it fetches the part again from its URL (same origin, the
// login cookie) and swaps it in when it changed. Plain JavaScript: no library, no CDN.
(function () {
  "use strict";
  document.querySelectorAll("[data-live-refresh]").forEach(function (part) {
    var url = part.getAttribute("data-live-refresh");
    var every = (Number(part.getAttribute("data-live-every")) || 2) * 1000;
    var last = null;
    var busy = false;
    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) {
          if (!r.ok || r.redirected) throw new Error("status " + r.status);
          return r.text();
        })
        .then(function (html) {
          if (html !== last) {
            part.innerHTML = html;
            last = html;
          }
          part.setAttribute("data-live-fetched", String(Date.now()));
          part.removeAttribute("data-live-error");
        })
        .catch(function () {
          part.setAttribute("data-live-error", "true"); // logged out or offline: try again
        })
        .finally(function () {
          busy = false;
        });
    }
    setInterval(tick, every);
  });
})();
