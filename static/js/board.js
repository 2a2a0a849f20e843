// Board: drag-and-drop reordering (the move buttons do the same without a mouse).
// Posts the full new order with the version the page showed; a 409 reloads the board.
(function () {
  function board() { return document.getElementById("board"); }

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
    fetch(el.dataset.reorderUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      credentials: "same-origin",
      body: JSON.stringify({ cycle: el.dataset.cycle, order: order, version: Number(el.dataset.version) }),
    }).then(() => refresh(el));
  }

  let dragged = null;
  let movedId = null; // the dragged request, announced once the board is redrawn
  document.addEventListener("dragstart", (event) => {
    const row = event.target.closest && event.target.closest("tr.board-row");
    if (!row) return;
    dragged = row;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.id);
  });
  document.addEventListener("dragover", (event) => {
    const row = event.target.closest && event.target.closest("tr.board-row");
    if (!dragged || !row || row === dragged) return;
    event.preventDefault();
    const rect = row.getBoundingClientRect();
    const after = event.clientY > rect.top + rect.height / 2;
    row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
  });
  document.addEventListener("drop", (event) => {
    if (!dragged) return;
    event.preventDefault();
    const el = board();
    movedId = dragged.dataset.id;
    dragged = null;
    if (el) sendOrder(el);
  });

  // Say where the moved request landed (the live region sits outside the redrawn board).
  const gettext = window.gettext || ((text) => text);
  const interpolate =
    window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, k) => String(values[k])));
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
