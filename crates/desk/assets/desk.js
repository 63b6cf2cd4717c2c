// The desk's only script of its own (served from this origin, so the CSP needs no inline
// script). Every page works without it; with it:
// - no double submits: a form's buttons are disabled while it is being sent, after the
//   clicked button's value has gone with it, and the form says it is busy;
// - on a phone the main navigation folds behind a Menu button;
// - order entry shows only the price fields of the pricing chosen;
// - on a phone a worklist's filters start folded, unless some are set;
// - a live fragment whose session ended says so in place (htmx leaves error answers out).
document.documentElement.classList.add("js");

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  form.setAttribute("aria-busy", "true");
  setTimeout(() => {
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  }, 0);
});

// A page shown again from the back/forward cache gets its buttons back.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  document.querySelectorAll("form[aria-busy]").forEach((form) => {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
  });
});

function wire() {
  if (window.matchMedia("(max-width: 640px)").matches) {
    document.querySelectorAll("details.filters-wrap").forEach((d) => {
      const set = [...d.querySelectorAll("input, select")].some((el) => el.type !== "hidden" && el.value);
      if (!set) d.open = false;
    });
  }
  const toggle = document.querySelector(".menu-toggle");
  const bar = document.querySelector("header.bar");
  if (toggle && bar) {
    toggle.addEventListener("click", () => {
      const open = bar.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.querySelectorAll("select[data-shows]").forEach((select) => {
    const group = select.getAttribute("data-shows");
    const form = select.form || document;
    const show = () => {
      form.querySelectorAll(`[data-${group}]`).forEach((el) => {
        el.hidden = el.getAttribute(`data-${group}`) !== select.value;
      });
    };
    select.addEventListener("change", show);
    show();
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", wire);
} else {
  wire();
}

document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr && event.detail.xhr.status === 401) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
