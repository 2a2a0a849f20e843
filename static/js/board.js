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
        if (event.oldIndex !== event.newIndex) sendOrder(el);
      },
    });
  }

  document.addEventListener("DOMContentLoaded", enhance);
  document.addEventListener("htmx:afterSettle", enhance);

  // Keep keyboard focus on the same move button after htmx swaps the board.
  let focusedId = null;
  document.addEventListener("htmx:beforeRequest", () => {
    focusedId = document.activeElement && document.activeElement.id;
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!focusedId) return;
    const again = document.getElementById(focusedId);
    if (again && !again.disabled) again.focus();
    else {
      const other = document.getElementById(focusedId.startsWith("up-") ? focusedId.replace("up-", "down-") : focusedId.replace("down-", "up-"));
      if (other) other.focus();
    }
  });
})();
