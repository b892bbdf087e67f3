// マイナンバーカード reading pages: a long-poll fetch tells the page when the card reader
// moved on (the server holds the request until then), and the page follows. No timers.
(function () {
  "use strict";
  const root = document.querySelector("[data-wait-url]");
  if (!root) return;
  const url = root.getAttribute("data-wait-url");
  const status = root.querySelector("[data-reader-status]");
  const maxFailures = 3; // give up instead of spinning when the server is gone

  async function follow() {
    let failures = 0;
    while (failures < maxFailures) {
      try {
        const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
        if (!response.ok) throw new Error("HTTP " + response.status);
        const body = await response.json();
        failures = 0;
        if (body.next) {
          window.location.assign(body.next);
          return;
        }
        // The server's wait ran out with nothing new: ask again straight away.
      } catch (error) {
        failures += 1;
      }
    }
    if (status) status.textContent = "通信できませんでした。画面を再読み込みしてください。";
  }

  follow();
})();
