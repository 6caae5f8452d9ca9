// Light, dark or auto (the system's choice), remembered in this browser. Bootstrap 5.3 color
// modes: everything follows <html data-bs-theme>. Loaded without defer, in <head>, so the page
// is painted in the right colours from the start; the buttons are wired once the DOM is there.
(() => {
  "use strict";
  const KEY = "theme";
  const stored = () => {
    try { return localStorage.getItem(KEY); } catch { return null; }
  };
  const preferred = () => stored() || "auto";
  const system = () => (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  const apply = (choice) => {
    document.documentElement.setAttribute("data-bs-theme", choice === "auto" ? system() : choice);
  };
  const showChoice = (choice) => {
    document.querySelectorAll("[data-bs-theme-value]").forEach((button) => {
      const on = button.getAttribute("data-bs-theme-value") === choice;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  };

  apply(preferred());
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    if (preferred() === "auto") apply("auto");
  });
  document.addEventListener("DOMContentLoaded", () => {
    showChoice(preferred());
    document.querySelectorAll("[data-bs-theme-value]").forEach((button) => {
      button.addEventListener("click", () => {
        const choice = button.getAttribute("data-bs-theme-value");
        try { localStorage.setItem(KEY, choice); } catch { /* private mode: this page only */ }
        apply(choice);
        showChoice(choice);
      });
    });
  });
})();
