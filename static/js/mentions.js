// @mention completion for the comment box: typing "@al" asks the server for matching usernames
// (an htmx partial of buttons); choosing one completes the name. The box works without this file.
(() => {
  const pending = /(?:^|\s)@([\w.+-]{1,30})$/;

  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement) || box.id !== "id_body") return;
    const list = document.querySelector('[data-mentions-for="id_body"]');
    if (!list || !window.htmx) return;
    const match = box.value.slice(0, box.selectionStart).match(pending);
    if (!match) {
      list.replaceChildren();
      return;
    }
    window.htmx.ajax("GET", `${list.dataset.mentionsUrl}?q=${encodeURIComponent(match[1])}`, { target: list, swap: "innerHTML" });
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest("[data-mention]");
    if (!option) return;
    const list = option.closest("[data-mentions-for]");
    const box = document.getElementById(list.dataset.mentionsFor);
    const caret = box.selectionStart;
    const before = box.value.slice(0, caret).replace(/@[\w.+-]*$/, `@${option.dataset.mention} `);
    box.value = before + box.value.slice(caret);
    box.focus();
    box.setSelectionRange(before.length, before.length);
    list.replaceChildren();
  });
})();
