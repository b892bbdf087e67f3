// Comparison sliders: the current screenshot lies over the approved one and is clipped from
// the left, so the range shows approved on the left of the line and current on the right.
"use strict";
document.querySelectorAll(".compare").forEach(function (figure) {
  var range = figure.querySelector(".compare-range");
  var current = figure.querySelector(".compare-current");
  var line = figure.querySelector(".compare-line");
  if (!range || !current || !line) {
    return;
  }
  function update() {
    current.style.clipPath = "inset(0 0 0 " + range.value + "%)";
    line.style.left = range.value + "%";
  }
  range.addEventListener("input", update);
  update();
});
