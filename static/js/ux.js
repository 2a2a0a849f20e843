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

// Triage keys, Linear-style, on the triage inbox and the request page: j/k next/previous, o or
// Enter open, x select, a/d/f/m accept/decline/defer/duplicate, ? lists them. Each key only moves
// focus or fills a choice: nothing is sent until the person submits the form.
(() => {
  const ACTIONS = { a: "accept", d: "decline", f: "defer", m: "mark_duplicate" };
  const NEEDS = { accept: "#bulk-effort", decline: "#bulk-reason", defer: "#bulk-reason", triage: null };
  const LIST_KEY = "upstream.triage-order";
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) &&
    !(el.tagName === "INPUT" && el.type === "checkbox");

  const dialog = () => document.getElementById("shortcuts");
  function showHelp() {
    const d = dialog();
    if (d && !d.open) d.showModal();
  }
  document.addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest(".shortcuts-open")) showHelp();
  });

  // --- the triage inbox ------------------------------------------------------------------------
  const rows = () => [...document.querySelectorAll("#triage tr.triage-row")];
  let current = -1;
  function setCurrent(index) {
    const all = rows();
    if (!all.length) return null;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("kb-current", i === current));
    const row = all[current];
    const pick = row.querySelector("input[type=checkbox]");
    (pick || row.querySelector("a")).focus();
    row.scrollIntoView({ block: "nearest" });
    return row;
  }
  function rememberOrder() {
    const urls = rows().map((row) => row.dataset.url);
    if (urls.length) sessionStorage.setItem(LIST_KEY, JSON.stringify(urls));
  }
  function triageKey(key) {
    const all = rows();
    if (!all.length) return false;
    const row = all[current] || null;
    if (key === "j") return !!setCurrent(current + 1);
    if (key === "k") return !!setCurrent(current < 0 ? 0 : current - 1);
    if (!row) return false;
    if (key === "o" || key === "Enter") {
      rememberOrder();
      window.location.assign(row.dataset.url);
      return true;
    }
    const pick = row.querySelector("input[type=checkbox]");
    if (key === "x" && pick) {
      pick.checked = !pick.checked;
      return true;
    }
    const action = ACTIONS[key];
    if (!action) return false;
    const select = document.getElementById("bulk-action");
    if (!pick || !select || ![...select.options].some((o) => o.value === action)) {
      // Not a bulk action (duplicate): its form is on the request page.
      rememberOrder();
      window.location.assign(`${row.dataset.url}#action-${action}`);
      return true;
    }
    pick.checked = true;
    select.value = action;
    const next = document.querySelector(NEEDS[action] || "#bulk-action");
    if (next) next.focus();
    return true;
  }

  // --- the request page --------------------------------------------------------------------------
  function actionForm(action) {
    return document.querySelector(`form.action-${action}`);
  }
  function focusAction(action) {
    const form = actionForm(action);
    if (!form) return false;
    form.scrollIntoView({ block: "center" });
    const field = form.querySelector("input:not([type=hidden]), select, textarea, button[type=submit]");
    if (field) field.focus();
    form.classList.add("kb-current");
    return true;
  }
  function neighbour(step) {
    const urls = JSON.parse(sessionStorage.getItem(LIST_KEY) || "[]");
    const at = urls.indexOf(window.location.pathname);
    if (at < 0) return false;
    const next = urls[at + step];
    if (!next) return false;
    window.location.assign(next);
    return true;
  }
  function requestKey(key) {
    if (key === "j") return neighbour(1);
    if (key === "k") return neighbour(-1);
    return ACTIONS[key] ? focusAction(ACTIONS[key]) : false;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") {
      event.preventDefault();
      showHelp();
      return;
    }
    if (event.key === "Enter" && !(event.target.closest && event.target.closest("tr.triage-row"))) return;
    const onTriage = !!document.getElementById("triage");
    const onRequest = !!document.querySelector("form.action") || document.body.dataset.page === "request";
    let handled = false;
    if (onTriage) handled = triageKey(event.key);
    else if (onRequest) handled = requestKey(event.key);
    if (handled) event.preventDefault();
  });

  // A request page opened with #action-<name> (from the inbox's keys) starts on that form.
  document.addEventListener("DOMContentLoaded", () => {
    const match = window.location.hash.match(/^#action-([a-z_]+)$/);
    if (match) focusAction(match[1]);
  });
})();

// "Print" buttons (the roadmap timeline): the browser's print dialog, print.css does the rest.
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("button.print-page")) window.print();
});
