// Keyboard triage, as in Gmail or Front: j/k move through the inbox, Enter or o opens, 1/2/3
// move to a bucket, r replies, e puts away, x selects for a bulk reply, / searches, ? lists
// the keys. Plain JavaScript, served from the app (the CSP allows no inline script). Every
// key has a button or link that does the same, so nothing needs the keyboard shortcuts.
(() => {
  "use strict";

  const BUCKETS = { 1: "funnel", 2: "network", 3: "exceptional" };
  let selected = -1; // index into rows(), -1: none yet

  const rows = () => Array.from(document.querySelectorAll("[data-row]"));
  const announce = (text) => {
    const region = document.getElementById("announce");
    if (region) region.textContent = text;
  };
  const typing = (element) =>
    element instanceof HTMLElement &&
    (element.isContentEditable || element.closest("input, textarea, select, [contenteditable]"));

  function select(index, { focus = true } = {}) {
    const list = rows();
    if (!list.length) return;
    selected = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((row, i) => {
      row.classList.toggle("is-selected", i === selected);
      row.setAttribute("aria-current", i === selected ? "true" : "false");
    });
    const link = list[selected].querySelector("a.request-row");
    if (focus && link) link.focus();
    list[selected].scrollIntoView({ block: "nearest" });
  }

  function current() {
    const list = rows();
    // A row whose link (or checkbox) has the focus is the one meant, keyboard or mouse.
    const focused = document.activeElement && document.activeElement.closest("[data-row]");
    if (focused) selected = list.indexOf(focused);
    return selected >= 0 ? list[selected] : null;
  }

  async function moveTo(row, bucket) {
    const form = new FormData();
    form.append("bucket", bucket);
    const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    const response = await fetch(row.dataset.overrideUrl, {
      method: "POST",
      body: form,
      headers: { "X-CSRFToken": token, "HX-Request": "true" },
      credentials: "same-origin",
    });
    if (!response.ok) {
      announce("Could not move it: reload the page and try again.");
      return;
    }
    announce(await response.text());
    const index = selected;
    // The list (and the tabs' counts) again, through the inbox's own htmx fragment.
    const results = document.getElementById("results");
    if (window.htmx && results) {
      await window.htmx.ajax("GET", window.location.href, { target: "#results", swap: "innerHTML" });
      select(index);
    }
  }

  function onRequestPage(key) {
    if (!document.querySelector("[data-request-page]")) return false;
    const page = document;
    if (BUCKETS[key]) {
      if (!page.getElementById("override-form")) return false; // a hiring manager's view
      const button = page.querySelector(`#override-form button[value="${BUCKETS[key]}"]`);
      if (button) button.click();
      else announce("It is in that bucket already.");
      return true;
    }
    if (key === "r") return focusField("#id_body", "There is nothing to reply to here.");
    if (key === "e") return focusField("#id_put_away_reason", "It is put away already.");
    if (key === "u") {
      const back = page.querySelector("[data-back]");
      if (back) window.location.assign(back.href);
      return true;
    }
    return false;
  }

  function focusField(selector, otherwise) {
    const field = document.querySelector(selector);
    if (!field) {
      announce(otherwise);
      return true;
    }
    field.scrollIntoView({ block: "center" });
    field.focus();
    return true;
  }

  function onInbox(key) {
    const list = rows();
    if (!list.length) return false;
    if (key === "j") return select(selected + 1), true;
    if (key === "k") return select(selected < 0 ? 0 : selected - 1), true;
    const row = current();
    if (!row) return false;
    const link = row.querySelector("a.request-row");
    if (key === "o" || key === "Enter") return window.location.assign(link.href), true;
    if (key === "r") return window.location.assign(`${link.href}#reply`), true;
    if (key === "e") return window.location.assign(`${link.href}#put-away`), true;
    if (key === "x") {
      const box = row.querySelector("input[type=checkbox]");
      if (box) {
        box.checked = !box.checked;
        announce(box.checked ? "Selected." : "Not selected.");
      }
      return true;
    }
    if (BUCKETS[key]) {
      moveTo(row, BUCKETS[key]);
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (typing(event.target)) {
      // Esc leaves a text field, so the keys work again (not in a dialog: Esc closes it).
      const inDialog = event.target.closest(".modal, .dropdown-menu");
      if (event.key === "Escape" && !inDialog && event.target.matches("input, textarea")) {
        event.target.blur();
      }
      return;
    }
    if (document.querySelector(".modal.show")) return; // the modal has its own keys (Esc)
    const key = event.key;
    if (key === "?") {
      const help = document.getElementById("keys-help");
      if (help && window.bootstrap) window.bootstrap.Modal.getOrCreateInstance(help).show();
      event.preventDefault();
      return;
    }
    if (key === "/") {
      const search = document.querySelector("main input[type=search]");
      if (search) {
        search.focus();
        search.select();
        event.preventDefault();
      }
      return;
    }
    // Enter on a focused link or button already does what it says.
    if (key === "Enter" && event.target.closest && event.target.closest("a, button")) return;
    if (onRequestPage(key) || onInbox(key)) event.preventDefault();
  });

  // Opened with "r" or "e" from the inbox: go to the reply editor or the reason to put it away.
  document.addEventListener("DOMContentLoaded", () => {
    const target = { "#reply": "#id_body", "#put-away": "#id_put_away_reason" }[window.location.hash];
    if (target) focusField(target, "");
  });
  // A new list (filter, tab, page) starts with nothing selected.
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target && event.detail.target.id === "results") selected = -1;
  });
})();
