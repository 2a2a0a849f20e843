// Planning UX enhancements; every page still works without this file.
(() => {
  // Freezing the review: while the snapshot is built, the button is disabled and a progress bar
  // says so (an eager task finishes within the POST, a worker within a few seconds).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches || !form.matches("form.freeze-form")) return;
    const button = form.querySelector("button[type=submit]");
    const bar = form.querySelector("progress.freeze-busy");
    const help = form.querySelector(".help");
    if (button) {
      button.disabled = true;
      button.textContent = form.dataset.busyText;
    }
    if (bar) bar.hidden = false;
    if (help) help.setAttribute("aria-live", "polite");
  });
})();

// The header's search box: "/" focuses it from anywhere (but not while typing), Escape closes its
// results, the arrow keys walk them; results come as you type (htmx, partials/search_box.html).
(() => {
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const box = () => document.getElementById("site-search-q");
  const results = () => document.getElementById("search-results");
  const hits = () => [...document.querySelectorAll(".site-search .search-hit")];

  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && !typing(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const input = box();
      if (!input) return;
      event.preventDefault();
      input.focus();
      input.select();
      return;
    }
    const inSearch = event.target.closest && event.target.closest(".site-search");
    if (!inSearch) return;
    if (event.key === "Escape") {
      const list = results();
      if (list) list.hidden = true;
      box().focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const all = hits();
      if (!all.length) return;
      event.preventDefault();
      const at = all.indexOf(document.activeElement);
      const next = event.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : at - 1;
      if (next < 0) box().focus();
      else all[next].focus();
    }
  });
  document.addEventListener("click", (event) => {
    const list = results();
    if (list && !(event.target.closest && event.target.closest(".site-search"))) list.hidden = true;
  });
})();
