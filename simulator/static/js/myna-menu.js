// マイナポータル ≡ menu: the button shows and hides the panel it controls.
(function () {
  "use strict";
  const button = document.querySelector(".mp-menu-button");
  if (!button) return;
  const panel = document.getElementById(button.getAttribute("aria-controls"));
  if (!panel) return;
  button.addEventListener("click", function () {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    panel.hidden = open;
  });
})();
