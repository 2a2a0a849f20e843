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
