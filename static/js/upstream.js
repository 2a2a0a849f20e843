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
  // Django's JavaScript catalogue (/jsi18n/, loaded before this file) translates; without it
  // the English texts stay. The names are gettext's own so that makemessages finds the texts.
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const interpolate =
    window.interpolate ||
    ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => String(values[name])));
  // What the options are (data-search="domain"), in whole sentences each language can word.
  const TEXTS = {
    domain: () => ({
      placeholder: gettext("Type to search domains"),
      label: gettext("Search domains"),
      none: (query) => interpolate(gettext("No domain matches “%(query)s”."), { query }, true),
      count: (n) =>
        interpolate(ngettext("%(n)s domain matches.", "%(n)s domains match.", n), { n }, true),
    }),
    product: () => ({
      placeholder: gettext("Type to search data products"),
      label: gettext("Search products"),
      none: (query) => interpolate(gettext("No data product matches “%(query)s”."), { query }, true),
      count: (n) =>
        interpolate(ngettext("%(n)s data product matches.", "%(n)s data products match.", n), { n }, true),
    }),
    option: () => ({
      placeholder: gettext("Type to search"),
      label: gettext("Search the options"),
      none: (query) => interpolate(gettext("Nothing matches “%(query)s”."), { query }, true),
      count: (n) =>
        interpolate(ngettext("%(n)s option matches.", "%(n)s options match.", n), { n }, true),
    }),
  };
  const fold = (text) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();

  function enhance(select) {
    if (select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    const texts = (TEXTS[select.dataset.search] || TEXTS.option)();
    const all = [...select.options];
    const box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.autocomplete = "off";
    box.placeholder = texts.placeholder;
    box.setAttribute("aria-label", texts.label);
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
        status.textContent = query ? texts.none(box.value.trim()) : "";
        return;
      }
      select.replaceChildren(...matches);
      select.value = (matches.find((o) => o.value === before) || matches[0]).value;
      status.textContent = texts.count(matches.length);
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
