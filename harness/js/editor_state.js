// The marked editor's text as a person reads it (line-number gutters and other
// contenteditable=false parts left out) and the text currently selected in it.
() => {
  const host = document.querySelector('[data-guideshot-editor]');
  if (!host) return null;
  const copy = host.cloneNode(true);
  copy.querySelectorAll('[contenteditable="false"]').forEach(e => e.remove());
  const selection = getSelection();
  const inside = selection.rangeCount > 0 && host.contains(selection.anchorNode);
  return {text: copy.textContent, selected: inside ? selection.toString() : '',
          focused: host.contains(document.activeElement)};
}
