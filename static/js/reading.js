/* The reading page (templates/learning/_module_reading.html): reports whether the page is
 * visible, every 10 s while it is and on every visibility change (study-session.js sends the
 * heartbeats). The server counts the dwell time on its own clock (only after a visible
 * heartbeat, at most 30 s per gap); this script shows the count and unlocks the next module in
 * the outline when the reading completes. */
(function () {
  "use strict";

  var root = document.getElementById("reading");
  if (!root) { return; }
  var A = window.Alur, Study = window.AlurStudy;
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
  var timer = null;
  var since = null;  // when the last visible heartbeat was answered: the bar moves between them

  var client = new Study.StudySession(root, {
    body: function () { return {visible: !document.hidden}; },
    answered: answer,
    stopped: function (kind, url) {
      clearInterval(timer);
      since = null;
      Study.showStop(alertBox, kind === "taken_over" ? S.taken_over
        : (kind === "attendance" ? S.attendance : S.deadline), kind, url);
    },
    connection: function (online) {
      // Offline time is not counted: the bar stops until a heartbeat gets through again.
      if (!online) { since = null; }
      statusLine.textContent = online ? S.online : S.offline;
    }
  });

  function shown() {
    var extra = since && !document.hidden ? Math.min((Date.now() - since) / 1000, 30) : 0;
    return Math.min(target, dwell + extra);
  }

  function render() {
    if (completed) { meter.hidden = true; return; }
    var done = shown();
    A.setWidth(bar, target ? 100 * done / target : 0);
    bar.parentNode.setAttribute("aria-valuenow", String(Math.round(done)));
    if (client.session) {
      meterText.textContent = A.fill(S.meter, {done: A.formatTime(done),
                                               total: A.formatTime(target)});
    }
  }

  function answer(result) {
    var data = result.data || {};
    if (result.status === 200) {
      dwell = data.dwell_seconds || dwell;
      since = document.hidden || !client.online ? null : Date.now();
      if (data.completed && !completed) {
        completed = true;
        statusLine.textContent = "";
        doneBox.hidden = false;
        Study.refreshOutline(S.statuses);
        if (data.next_module) { Study.showNext(nextBox, data.next_module, S.next); }
      }
    }
    render();
  }

  function start() {
    clearInterval(timer);
    timer = setInterval(function () { if (!document.hidden) { client.beat(); } render(); },
                        (client.session.heartbeat_seconds || 10) * 1000);
    client.beat();
  }

  function open() {
    client.open().then(function (opened) {
      if (!opened.session) {
        if (!client.stopped) { statusLine.textContent = opened.error || S.error; }
        return;
      }
      alertBox.hidden = true;
      dwell = opened.session.dwell_seconds || 0;
      completed = completed || opened.session.completed;
      start();
      render();
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { since = null; client.beat({keepalive: true}); } else { client.beat(); }
    render();
  });
  window.addEventListener("offline", function () { since = null; render(); });
  alertBox.querySelector('[data-action="takeover"]').addEventListener("click", open);
  setInterval(render, 1000);
  if (!completed) { open(); }
}());
