// The on-screen keyboard: appears when the search field gets focus and stays up (no
// animation). Keys type into the real field; the enter key is the form's submit button.
(function () {
  "use strict";
  const input = document.querySelector("[data-keyboard-input]");
  const keyboard = document.querySelector("[data-keyboard]");
  if (!input || !keyboard) return;

  function show() {
    keyboard.hidden = false;
    document.body.classList.add("kb-open");
  }

  input.addEventListener("focus", show);
  if (document.activeElement === input) show();

  // Pressing a key must not take the focus (and the caret) away from the field.
  keyboard.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });

  keyboard.addEventListener("click", function (event) {
    const key = event.target.closest("button");
    if (!key || key.type === "submit") return;
    if (key.hasAttribute("data-insert")) {
      input.value += key.getAttribute("data-insert");
    } else if (key.hasAttribute("data-backspace")) {
      input.value = Array.from(input.value).slice(0, -1).join("");
    } else {
      return;
    }
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.focus();
  });
})();
