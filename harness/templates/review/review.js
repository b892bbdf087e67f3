// Each button posts one JSON action; the answer carries every step's decision, which the
// page shows (so the page never guesses what the server did). Every action carries the
// token this page was served with: the server refuses any change without it.
"use strict";
(function () {
  var message = document.querySelector("header .message");
  var undo = document.querySelector("button.undo");
  var token = document.querySelector('meta[name="guideshot-token"]').content;

  function show(state) {
    document.querySelectorAll(".step[data-key]").forEach(function (step) {
      var decision = state.decisions[step.dataset.key] || "pending";
      step.dataset.decision = decision;
      step.querySelector(".decision").textContent = decision;
    });
    // A change is as decided as its steps: all approved, all rejected, else pending.
    document.querySelectorAll(".change[data-group]").forEach(function (change) {
      var said = JSON.parse(change.dataset.keys).map(function (key) {
        return state.decisions[key] || "pending";
      });
      var first = said.length ? said[0] : "pending";
      var decision = said.every(function (d) { return d === first; }) ? first : "pending";
      change.dataset.decision = decision;
      var shown = change.querySelector(".decision");
      if (shown) shown.textContent = decision;
    });
    undo.disabled = !state.can_undo;
  }

  function post(action, body) {
    return fetch("api/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Guideshot-Token": token },
      body: JSON.stringify(body || {}),
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === 0) return response.json();
        // A refusal before any action ran is one line of plain text.
        return response.text().then(function (text) {
          return { error: text.trim() || "refused (" + response.status + ")" };
        });
      })
      .then(function (answer) {
        if (answer.decisions) show(answer);
        message.classList.toggle("error", Boolean(answer.error));
        if (answer.error) {
          message.textContent = answer.error;
        } else if (answer.approved) {
          message.textContent = "approved: " + (answer.approved.join(", ") || "nothing changed");
        } else if (answer.restored) {
          message.textContent = "put back: " + answer.restored.join(", ");
        } else {
          message.textContent = action + "ed";
        }
        document.body.dataset.busy = "false";
      });
  }

  function target(button, withStep) {
    var flow = button.closest(".review-flow");
    var body = { device: flow.dataset.device, flow: flow.dataset.flow };
    if (withStep) body.step = Number(button.closest(".step").dataset.step);
    return body;
  }

  function group(button) {
    return { group: button.closest(".change").dataset.group };
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    document.body.dataset.busy = "true";
    if (button.classList.contains("approve-step")) post("approve", target(button, true));
    else if (button.classList.contains("reject-step")) post("reject", target(button, true));
    else if (button.classList.contains("approve-flow")) post("approve", target(button, false));
    else if (button.classList.contains("reject-flow")) post("reject", target(button, false));
    else if (button.classList.contains("approve-group")) post("approve", group(button));
    else if (button.classList.contains("reject-group")) post("reject", group(button));
    else if (button.classList.contains("undo")) post("undo");
    else document.body.dataset.busy = "false";
  });

  fetch("api/state").then(function (r) { return r.json(); }).then(show);
})();
