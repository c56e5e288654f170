/* Shared by every page (loaded deferred in the head, before any page script): POSTs with the
 * CSRF token, time formatting, and the little that server-rendered markup asks of script —
 * bar widths (the Content-Security-Policy forbids inline styles) and confirmation prompts. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* POST JSON with the session cookie and the CSRF token; resolves to {status, data} (data
   * null if not JSON). A network failure resolves to {status: 0}, so callers treat it like
   * any other answer. */
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

  /* 75 → "1:15", 3725 → "1:02:05". */
  function formatTime(seconds) {
    seconds = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  /* "{a} of {b}" with {a: 1, b: 2} → "1 of 2"; unknown names stay as they are. */
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function setWidth(element, percent) {
    element.style.width = Math.max(0, Math.min(100, Number(percent) || 0)) + "%";
  }

  function applyWidths(scope) {
    (scope || document).querySelectorAll("[data-width]").forEach(function (element) {
      setWidth(element, element.getAttribute("data-width"));
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
  });

  /* A random id this browser keeps, sent when a study session opens: reviewers tell devices
     apart by it where many learners share one address. Empty when storage is unavailable. */
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

  window.Alur = {csrfToken: csrfToken, post: post, getJson: getJson, formatTime: formatTime,
                 fill: fill, setWidth: setWidth, applyWidths: applyWidths, deviceId: deviceId};
  applyWidths();
}());
