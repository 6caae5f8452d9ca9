// A request htmx sends for a session that has ended (the request page's heartbeat every 15 s,
// the notification badge every minute) is answered 401, not with the login page, which htmx
// would swap into the page (config/middleware.py). htmx swaps nothing then; this says why,
// once, with a link to sign in again that comes back to this page. What is typed stays.
// A session signed in by password but not yet by its code (triage/two_factor.py) gets the
// same answer, with its sentence as the body and the code page in X-Sign-In-Url.
document.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status !== 401 || document.getElementById("signed-out")) return;
  const notice = document.createElement("div");
  notice.id = "signed-out";
  notice.className = "alert alert-warning";
  notice.setAttribute("role", "alert");
  const link = document.createElement("a");
  const codePage = event.detail.xhr.getResponseHeader("X-Sign-In-Url");
  link.href =
    codePage ||
    `${document.body.dataset.loginUrl}?next=${encodeURIComponent(location.pathname + location.search)}`;
  link.textContent = codePage ? "Give your code" : "Sign in again";
  const said = codePage ? "Your sign-in needs its code. " : "You are signed out. ";
  notice.append(said, link, " (in another tab, to keep what you typed here).");
  const main = document.getElementById("content");
  if (main) main.prepend(notice);
});
