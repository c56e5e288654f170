/* Shared by the video player and the reading page: API calls with the CSRF token, time
 * formatting, and refreshing the module outline when a module completes (no page reload). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* POST JSON with the session cookie; resolves to {status, data} (data null if not JSON).
   * Network failures resolve to {status: 0} so callers treat them like any other answer. */
  function post(url, body, options) {
    var init = {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(),
                "Accept": "application/json"},
      body: body === undefined ? "{}" : JSON.stringify(body),
      keepalive: Boolean(options && options.keepalive)
    };
    return fetch(url, init).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return {status: response.status, data: data};
      });
    }, function () { return {status: 0, data: null}; });
  }

  function getJson(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  function formatTime(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  /* Bring the outline (templates/pacing/_outline.html) up to date from the enrollment API:
   * statuses, badges, and links for modules that just unlocked. */
  function refreshOutline(labels) {
    var list = document.getElementById("module-outline");
    if (!list) { return Promise.resolve(null); }
    return getJson(list.getAttribute("data-enrollment-url")).then(function (enrollment) {
      if (!enrollment) { return null; }
      enrollment.modules.forEach(function (module) {
        var item = list.querySelector('[data-module="' + module.module_id + '"]');
        if (!item) { return; }
        item.setAttribute("data-status", module.status);
        var badge = item.querySelector(".badge");
        if (badge) {
          badge.className = "badge badge-" + module.status;
          badge.setAttribute("data-status", module.status);
          badge.textContent = (labels && labels[module.status]) || module.status;
        }
        var title = item.querySelector(".title");
        if (module.status !== "locked" && title && title.tagName !== "A") {
          var link = document.createElement("a");
          link.className = "title";
          link.href = item.getAttribute("data-url");
          link.textContent = title.textContent;
          title.replaceWith(link);
        }
      });
      var bar = document.querySelector("[data-course-progress]");
      if (bar) { bar.style.width = enrollment.progress_percent + "%"; }
      return enrollment;
    });
  }

  /* Show the "next module" link once the current module is complete. */
  function showNext(container, next, template) {
    if (!container || !next || next.status === "locked") { return; }
    var link = container.querySelector("a");
    if (!link) {
      link = document.createElement("a");
      link.className = "button primary";
      container.appendChild(link);
    }
    link.href = next.url;
    link.id = "next-module";
    link.textContent = template.replace("{title}", next.title);
    container.hidden = false;
  }

  function withNext(url) {
    var target = new URL(url, window.location.origin);
    target.searchParams.set("next", window.location.pathname);
    return target.pathname + target.search;
  }

  /* A random id this browser keeps, sent when a session opens: reviewers tell devices apart
     by it where many learners share one address. Empty when storage is unavailable. */
  function deviceId() {
    try {
      var id = window.localStorage.getItem("alur.device-id");
      if (!id) {
        id = window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID()
          : String(Math.random()).slice(2) + String(Date.now());
        window.localStorage.setItem("alur.device-id", id);
      }
      return id;
    } catch (e) { return ""; }
  }

  window.AlurPacing = {post: post, getJson: getJson, formatTime: formatTime,
                       refreshOutline: refreshOutline, showNext: showNext, withNext: withNext,
                       deviceId: deviceId};
}());
