// Lays the guide out before anyone prints it: prose that overflows its fixed-size page moves
// to a continuation page, then every page is numbered and the contents get real page numbers.
// Sets <html data-paginated="true"> when done (the PDF printer waits for it) and lists any
// block too tall for a whole page in data-overflow.
(function () {
  "use strict";

  const HEADINGS = /^H[1-6]$/;
  const LISTS = /^(UL|OL)$/;

  function firstOverflow(body) {
    const limit = body.getBoundingClientRect().bottom + 0.5;
    const blocks = Array.from(body.children);
    return blocks.findIndex((block) => block.getBoundingClientRect().bottom > limit);
  }

  // A list cut by the page edge is split so its remaining items start the next page.
  function splitList(list, limit) {
    const items = Array.from(list.children);
    const cut = items.findIndex((item) => item.getBoundingClientRect().bottom > limit);
    if (cut <= 0) return false;
    const rest = list.cloneNode(false);
    if (list.tagName === "OL") rest.start = (list.start || 1) + cut;
    items.slice(cut).forEach((item) => rest.appendChild(item));
    list.after(rest);
    return true;
  }

  function splitPage(page, overflows) {
    const body = page.querySelector(".page-body");
    let index = firstOverflow(body);
    if (index < 0) return null;
    const block = body.children[index];
    if (LISTS.test(block.tagName) && splitList(block, body.getBoundingClientRect().bottom)) {
      index += 1;
    }
    while (index > 0 && HEADINGS.test(body.children[index - 1].tagName)) index -= 1;
    if (index === 0) {
      overflows.push(page.querySelector(".band-label").textContent);
      return null;
    }
    const next = page.cloneNode(true);
    next.removeAttribute("id");
    next.classList.add("page--continued");
    // The section's heading opens its first page only; a continuation just shows the label.
    const heading = next.querySelector("h2.band-label");
    if (heading) {
      const label = document.createElement("span");
      label.className = heading.className;
      label.textContent = heading.textContent;
      heading.replaceWith(label);
    }
    const nextBody = next.querySelector(".page-body");
    nextBody.replaceChildren(...Array.from(body.children).slice(index));
    page.after(next);
    return next;
  }

  function paginate() {
    const overflows = [];
    for (const start of Array.from(document.querySelectorAll(".page--prose"))) {
      let page = start;
      while (page) page = splitPage(page, overflows);
    }
    const pages = Array.from(document.querySelectorAll(".page"));
    pages.forEach((page, n) => {
      page.dataset.page = String(n + 1);
      const number = page.querySelector(".page-number");
      if (number) number.textContent = String(n + 1);
    });
    for (const slot of document.querySelectorAll("[data-toc-target]")) {
      const target = document.getElementById(slot.dataset.tocTarget);
      slot.textContent = target ? target.closest(".page").dataset.page : "?";
    }
    const root = document.documentElement;
    root.dataset.pages = String(pages.length);
    if (overflows.length) root.dataset.overflow = overflows.join(" / ");
    root.dataset.paginated = "true";
  }

  // Layout must use the final fonts, or a measured page could differ from the printed one.
  window.addEventListener("load", () => document.fonts.ready.then(paginate));
})();
