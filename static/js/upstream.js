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
