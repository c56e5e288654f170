/* The reading page (templates/learning/_module_reading.html): reports whether the page is
 * visible, every 10 s while it is and on every visibility change. The server counts the dwell
 * time on its own clock (only after a visible heartbeat, at most 30 s per gap); this script
 * shows the count and unlocks the next module in the outline when the reading completes. */
(function () {
  "use strict";

  var root = document.getElementById("reading");
  if (!root) { return; }
  var P = window.AlurPacing;
  var S = JSON.parse(document.getElementById("reading-strings").textContent);
  var meter = root.querySelector(".reading-meter");
  var bar = root.querySelector('[data-role="bar"]');
  var meterText = root.querySelector('[data-role="meter"]');
  var statusLine = root.querySelector(".player-status");
  var alertBox = document.getElementById("reading-alert");
  var doneBox = root.querySelector('[data-role="done"]');
  var nextBox = root.querySelector('[data-role="next"]');

  var target = parseFloat(root.getAttribute("data-target")) || 0;
  var dwell = parseFloat(root.getAttribute("data-dwell")) || 0;
  var completed = root.getAttribute("data-completed") === "true";
  var session = null, seq = 0, stopped = false, timer = null;
  var inflight = false, pending = false;
  var since = null;  // when the last visible heartbeat was answered: the bar moves between them

  function shown() {
    var extra = since && !document.hidden ? Math.min((Date.now() - since) / 1000, 30) : 0;
    return Math.min(target, dwell + extra);
  }

  function render() {
    if (completed) { meter.hidden = true; return; }
    var done = shown();
    bar.style.width = (target ? Math.min(100, 100 * done / target) : 0) + "%";
    bar.parentNode.setAttribute("aria-valuenow", String(Math.round(done)));
    if (session) {
      meterText.textContent = S.meter.replace("{done}", P.formatTime(done))
        .replace("{total}", P.formatTime(target));
    }
  }

  function stop(message, action, url) {
    stopped = true;
    clearInterval(timer);
    since = null;
    alertBox.querySelector("p").textContent = message;
    alertBox.querySelector('[data-action="takeover"]').hidden = action !== "takeover";
    var verify = alertBox.querySelector('[data-role="verify"]');
    verify.hidden = action !== "verify";
    if (url) { verify.href = P.withNext(url); }
    alertBox.hidden = false;
  }

  function answer(result) {
    var data = result.data || {};
    if (result.status === 200) {
      dwell = data.dwell_seconds || dwell;
      since = document.hidden ? null : Date.now();
      if (data.completed && !completed) {
        completed = true;
        statusLine.textContent = "";
        doneBox.hidden = false;
        P.refreshOutline(S.statuses);
        if (data.next_module) { P.showNext(nextBox, data.next_module, S.next); }
      }
    } else if (result.status === 410) {
      stop(S.taken_over, "takeover");
    } else if (result.status === 403 && data.error === "attendance_required") {
      stop(S.attendance, "verify", data.verify_url);
    } else if (result.status === 403 && data.error === "deadline_passed") {
      stop(S.deadline);
    }
    render();
  }

  function heartbeat(options) {
    if (!session || stopped) { return; }
    if (inflight) { pending = true; return; }
    inflight = true;
    seq += 1;
    P.post("/api/v1/sessions/" + session.session_id + "/heartbeats",
           {visible: !document.hidden, seq: seq}, options)
      .then(answer)
      .then(function () {
        inflight = false;
        if (pending) { pending = false; heartbeat(); }
      });
  }

  function start() {
    clearInterval(timer);
    timer = setInterval(function () { if (!document.hidden) { heartbeat(); } render(); },
                        (session.heartbeat_seconds || 10) * 1000);
    heartbeat();
  }

  function open() {
    P.post(root.getAttribute("data-sessions-url"), {device_id: P.deviceId()}).then(function (result) {
      var data = result.data || {};
      if (result.status !== 201) {
        if (data.error === "attendance_required") { stop(S.attendance, "verify", data.verify_url); }
        else if (data.error === "deadline_passed") { stop(S.deadline); }
        else { statusLine.textContent = data.message || S.error; }
        return;
      }
      session = data;
      seq = 0;
      stopped = false;
      alertBox.hidden = true;
      dwell = data.dwell_seconds || 0;
      completed = completed || data.completed;
      start();
      render();
      P.refreshOutline(S.statuses);
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { since = null; heartbeat({keepalive: true}); }
    else { heartbeat(); }
    render();
  });
  alertBox.querySelector('[data-action="takeover"]').addEventListener("click", open);
  setInterval(render, 1000);
  if (!completed) { open(); }
}());
