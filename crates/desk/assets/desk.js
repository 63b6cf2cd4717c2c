// The desk's only script of its own (served from this origin, so the CSP needs no inline
// script): no double submits — a form's buttons are disabled while it is being sent, after the
// clicked button's value has gone with it — and the form says it is busy.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  form.setAttribute("aria-busy", "true");
  setTimeout(() => {
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  }, 0);
});
