// A request htmx sends for a session that has ended (the request page's heartbeat every 15 s,
// the notification badge every minute) is answered 401, not with the login page, which htmx
// would swap into the page (config/middleware.py). htmx swaps nothing then; this says why,
// once, with a link to sign in again that comes back to this page. What is typed stays.
document.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status !== 401 || document.getElementById("signed-out")) return;
  const notice = document.createElement("div");
  notice.id = "signed-out";
  notice.className = "alert alert-warning";
  notice.setAttribute("role", "alert");
  const link = document.createElement("a");
  link.href = `${document.body.dataset.loginUrl}?next=${encodeURIComponent(location.pathname + location.search)}`;
  link.textContent = "Sign in again";
  notice.append("You are signed out. ", link, " (in another tab, to keep what you typed here).");
  const main = document.getElementById("content");
  if (main) main.prepend(notice);
});
