/* The study-session client shared by the video player and the reading page: opens a session
 * (the page's data-sessions-url), sends heartbeats to its data-heartbeat-url one at a time, and
 * turns the server's refusals into one of three stops: "taken_over" (410: the module is open
 * elsewhere), "attendance" and "deadline" (403). When the network fails it says so once,
 * retries with back-off (1 s, 2 s, 4 s … at most 30 s, and at once when the browser is back
 * online) and says so again when a heartbeat gets through. Time offline earns nothing: the
 * server counts only the gaps between heartbeats it received, at most 30 s each.
 *
 * Also: refreshing the course outline in place when a module completes, and the "next" link.
 */
(function () {
  "use strict";

  var A = window.Alur;
  var FIRST_RETRY_MS = 1000;
  var MAX_RETRY_MS = 30000;

  function refusal(result) {
    var data = result.data || {};
    if (result.status === 410) { return {kind: "taken_over"}; }
    if (result.status === 403 && data.error === "attendance_required") {
      return {kind: "attendance", url: data.verify_url};
    }
    if (result.status === 403 && data.error === "deadline_passed") { return {kind: "deadline"}; }
    return null;
  }

  function unreachable(result) {
    return result.status === 0 || result.status >= 500 || result.status === 429;
  }

  /* handlers: body() → the heartbeat's fields (seq is added here); answered(result) for every
   * other answer (200, 409); stopped(kind, url); connection(online). */
  function StudySession(root, handlers) {
    this.root = root;
    this.handlers = handlers;
    this.session = null;
    this.seq = 0;
    this.stopped = false;
    this.online = true;
    this.inflight = false;
    this.pending = false;
    this.retryMs = 0;
    this.retryTimer = null;
    var self = this;
    window.addEventListener("online", function () { if (self.retryTimer) { self.retryNow(); } });
  }

  StudySession.prototype.open = function () {
    var self = this;
    return A.post(this.root.getAttribute("data-sessions-url"), {device_id: A.deviceId()}).then(function (result) {
      var data = result.data || {};
      if (result.status !== 201) {
        var refused = refusal(result);
        if (refused) { self.stop(refused.kind, refused.url); }
        return {error: data.message || null, status: result.status};
      }
      self.session = data;
      self.seq = 0;
      self.stopped = false;
      return {session: data};
    });
  };

  StudySession.prototype.heartbeatUrl = function () {
    return this.root.getAttribute("data-heartbeat-url")
      .replace("{session}", String(this.session.session_id));
  };

  StudySession.prototype.nextBody = function () {
    var body = this.handlers.body();
    this.seq += 1;
    body.seq = this.seq;
    return body;
  };

  /* Report now, or as soon as the heartbeat under way (or the back-off) is over; with
   * {keepalive: true} a report sent now survives the page being closed. */
  StudySession.prototype.beat = function (options) {
    if (!this.session || this.stopped) { return; }
    if (this.inflight || this.retryTimer) { this.pending = true; return; }
    var self = this;
    this.inflight = true;
    this.pending = false;
    A.post(this.heartbeatUrl(), this.nextBody(), options).then(function (result) {
      self.inflight = false;
      if (self.stopped) { return; }
      if (unreachable(result)) { self.backOff(); return; }
      self.reconnected();
      var refused = refusal(result);
      if (refused) { self.stop(refused.kind, refused.url); return; }
      self.handlers.answered(result);
      if (self.pending) { self.beat(); }
    });
  };

  /* A last report that survives the page going away (no answer is read); `overrides`
   * replace fields of the body (the player says it is no longer playing). */
  StudySession.prototype.farewell = function (overrides) {
    if (!this.session || this.stopped) { return; }
    var body = this.nextBody();
    Object.keys(overrides || {}).forEach(function (key) { body[key] = overrides[key]; });
    A.post(this.heartbeatUrl(), body, {keepalive: true});
  };

  StudySession.prototype.backOff = function () {
    var self = this;
    if (this.online) { this.online = false; this.handlers.connection(false); }
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs ? this.retryMs * 2 : FIRST_RETRY_MS);
    this.retryTimer = setTimeout(function () { self.retryNow(); }, this.retryMs);
  };

  StudySession.prototype.retryNow = function () {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.beat();
  };

  StudySession.prototype.reconnected = function () {
    this.retryMs = 0;
    if (!this.online) { this.online = true; this.handlers.connection(true); }
  };

  StudySession.prototype.stop = function (kind, url) {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.handlers.stopped(kind, url);
  };

  /* Bring the outline (templates/pacing/_outline.html) up to date from the enrollment API:
   * statuses, badges, and links for modules that just unlocked. */
  function refreshOutline(labels) {
    var list = document.getElementById("module-outline");
    if (!list) { return Promise.resolve(null); }
    return A.getJson(list.getAttribute("data-enrollment-url")).then(function (enrollment) {
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
    link.textContent = A.fill(template, {title: next.title});
    container.hidden = false;
  }

  function withNext(url) {
    var target = new URL(url, window.location.origin);
    target.searchParams.set("next", window.location.pathname);
    return target.pathname + target.search;
  }

  /* The alert box both pages show when a session stops, with its one way on. */
  function showStop(alertBox, message, kind, url) {
    alertBox.querySelector("p").textContent = message;
    alertBox.querySelector('[data-action="takeover"]').hidden = kind !== "taken_over";
    var verify = alertBox.querySelector('[data-role="verify"]');
    verify.hidden = kind !== "attendance";
    if (url) { verify.href = withNext(url); }
    alertBox.hidden = false;
    var focus = kind === "attendance" ? verify
      : (kind === "taken_over" ? alertBox.querySelector('[data-action="takeover"]') : alertBox);
    focus.focus();
  }

  window.AlurStudy = {StudySession: StudySession, refreshOutline: refreshOutline,
                      showNext: showNext, withNext: withNext, showStop: showStop};
}());
