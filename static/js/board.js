// Board: drag-and-drop reordering with SortableJS (static/vendor/sortablejs); the move buttons do
// the same without a mouse. On the end of a drag the full new order is posted with the version the
// page showed; the board is then re-read (a 409 re-reads it too, showing the newer order).
(function () {
  function refresh(el) {
    if (window.htmx) {
      window.htmx.ajax("GET", el.dataset.refreshUrl, { target: "#board", swap: "outerHTML" });
    } else {
      window.location.reload();
    }
  }

  function sendOrder(el) {
    const order = Array.from(el.querySelectorAll("tr.board-row")).map((row) => Number(row.dataset.id));
    const token = el.querySelector("input[name=csrfmiddlewaretoken]").value;
    el.setAttribute("aria-busy", "true");
    return fetch(el.dataset.reorderUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      credentials: "same-origin",
      body: JSON.stringify({ cycle: el.dataset.cycle, order: order, version: Number(el.dataset.version) }),
    }).then(() => refresh(el), () => refresh(el));
  }

  function enhance() {
    const el = document.getElementById("board");
    const rows = document.getElementById("board-rows");
    if (!el || !rows || rows.dataset.sortable || !window.Sortable || el.dataset.lead !== "1") return;
    rows.dataset.sortable = "1";
    window.Sortable.create(rows, {
      draggable: "tr.board-row",
      filter: "input, select, button, label, a",
      preventOnFilter: false,
      forceFallback: true, // mouse and touch alike, without the browser's drag image quirks
      animation: 120,
      onEnd: (event) => {
        if (event.oldIndex === event.newIndex) return;
        movedId = event.item.dataset.id;
        sendOrder(el);
      },
    });
  }

  // A row's inputs belong to the board's one score form: Enter saves their row (presses its
  // Score button) rather than the form's first. Without this file the row's button saves it.
  document.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || field.tagName !== "INPUT" || !field.form || field.form.id !== "board-score") return;
    const row = field.closest("tr.board-row");
    const button = row && document.getElementById(`score-${row.dataset.id}`);
    if (!button) return;
    event.preventDefault();
    button.click();
  });

  // The score form holds every row's inputs; send only the saved row's (the server reads only
  // those), which keeps the request small however many rows have their inputs open.
  document.addEventListener("htmx:configRequest", (event) => {
    const data = event.detail.formData;
    if (!data || !event.detail.elt || event.detail.elt.id !== "board-score") return;
    const row = data.get("request");
    for (const key of [...data.keys()]) {
      const match = key.match(/^[a-z]+-(\d+)$/);
      if (match && match[1] !== row) data.delete(key);
    }
  });

  // "Reach, impact, confidence": fetch the row's inputs into it instead of opening their page.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("#board a.rice-edit");
    if (!link || !window.htmx || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const id = link.closest("tr.board-row").dataset.id;
    const cycle = document.getElementById("board").dataset.cycle;
    window.htmx
      .ajax("GET", `${link.pathname}?cycle=${encodeURIComponent(cycle)}`, { target: link, swap: "outerHTML" })
      .then(() => {
        const first = document.querySelector(`#rice-${id} input`);
        if (first) first.focus();
      });
  });

  document.addEventListener("DOMContentLoaded", enhance);
  document.addEventListener("htmx:afterSettle", enhance);

  // Say where the moved request landed (the live region sits outside the redrawn board).
  const gettext = window.gettext || ((text) => text);
  const interpolate =
    window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, k) => String(values[k])));
  let movedId = null; // the dragged request, announced once the board is redrawn
  function announce(requestId) {
    const status = document.getElementById("board-status");
    const rows = Array.from(document.querySelectorAll("#board tr.board-row"));
    const index = rows.findIndex((row) => row.dataset.id === String(requestId));
    if (!status || index < 0) return;
    status.textContent = interpolate(
      gettext("%(key)s is now number %(rank)s of %(count)s."),
      { key: rows[index].dataset.key, rank: index + 1, count: rows.length },
      true,
    );
  }

  // Keep keyboard focus on the same move button after htmx swaps the board.
  let focusedId = null;
  document.addEventListener("htmx:beforeRequest", () => {
    focusedId = document.activeElement && document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (movedId) {
      announce(movedId);
      movedId = null;
    }
    if (!focusedId) return;
    if (/^(up|down)-\d+$/.test(focusedId)) announce(focusedId.split("-")[1]);
    const again = document.getElementById(focusedId);
    if (again && !again.disabled) again.focus();
    else {
      const other = document.getElementById(focusedId.startsWith("up-") ? focusedId.replace("up-", "down-") : focusedId.replace("down-", "up-"));
      if (other) other.focus();
    }
  });
})();
