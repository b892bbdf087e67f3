// What kind of field `el` is, and for a rich or code editor its editing host: the outermost
// contenteditable element at, inside or around `el` (CodeMirror's .CodeMirror-code or
// .cm-content, ProseMirror's .ProseMirror, a plain contenteditable div). Marks the host
// with data-guideshot-editor so the next calls can find it again.
(el) => {
  const tag = el.tagName.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select') return 'native';
  let host = el.isContentEditable ? el : el.querySelector('[contenteditable]:not([contenteditable="false"])');
  if (!host) {
    const around = el.closest('[contenteditable]:not([contenteditable="false"])');
    host = around && around.isContentEditable ? around : null;
  }
  if (!host || !host.isContentEditable) return 'other';
  while (host.parentElement && host.parentElement.isContentEditable) host = host.parentElement;
  document.querySelectorAll('[data-guideshot-editor]').forEach(e => e.removeAttribute('data-guideshot-editor'));
  host.setAttribute('data-guideshot-editor', '');
  return 'editor';
}
