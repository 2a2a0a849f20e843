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
    dragged = null;
    if (el) sendOrder(el);
  });

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
