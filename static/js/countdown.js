/* The time left on a timed quiz (templates/assessments/attempt.html). The server's deadline is
 * what counts; this only shows it and submits the answers in time. */
(function () {
  "use strict";

  var box = document.getElementById("countdown");
  var form = document.getElementById("quiz-form");
  if (!box || !form) { return; }
  var out = document.getElementById("time-left");
  var end = Date.now() + parseInt(box.getAttribute("data-seconds-left"), 10) * 1000;
  var sent = false;
  form.addEventListener("submit", function () { sent = true; });

  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    out.textContent = window.Alur.formatTime(left);
    if (left <= 0 && !sent) { sent = true; form.submit(); return; }
    if (left > 0) { setTimeout(tick, 500); }
  }
  tick();
}());
