// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

// The review's cycle switcher: jump to the chosen cycle's review (the select holds URLs).
document.addEventListener("change", (event) => {
  if (event.target.matches && event.target.matches("select.cycle-jump")) {
    window.location.assign(event.target.value);
  }
});

// A searchable <select data-search="domain">: a search box above it narrows the options to those
// whose name (or value) contains what is typed, and picks the first match, firing "change" as if
// the user had chosen it (so htmx listeners on the select still run). Enter picks without
// submitting the form. Without this file the plain select still works.
(() => {
  const fold = (text) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();

  function enhance(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    const noun = select.dataset.search;
    const all = [...select.options];
    const box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.autocomplete = "off";
    box.placeholder = `Type to search ${noun}s`;
    box.setAttribute("aria-label", `Search ${noun}s`);
    box.setAttribute("aria-controls", select.id);
    const status = document.createElement("small");
    status.className = "help select-search-status";
    status.id = `${select.id}_search_status`;
    status.setAttribute("aria-live", "polite");
    box.setAttribute("aria-describedby", status.id);
    select.before(box, status);

    box.addEventListener("input", () => {
      const before = select.value;
      const query = fold(box.value);
      const matches = all.filter(
        (o) => o.value && (fold(o.text).includes(query) || fold(o.value).includes(query)),
      );
      if (!query || !matches.length) {
        select.replaceChildren(...all);
        select.value = before;
        status.textContent = query ? `No ${noun} matches “${box.value.trim()}”.` : "";
        return;
      }
      select.replaceChildren(...matches);
      select.value = (matches.find((o) => o.value === before) || matches[0]).value;
      status.textContent =
        matches.length === 1 ? `1 ${noun} matches.` : `${matches.length} ${noun}s match.`;
      if (select.value !== before) select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // choose, do not submit the form
        select.focus();
      } else if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  const enhanceAll = () => document.querySelectorAll("select[data-search][id]").forEach(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhanceAll);
  else enhanceAll();
})();
