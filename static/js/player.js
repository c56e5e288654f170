/* The pacing player (templates/learning/_module_video.html): hls.js with custom controls.
 *
 * It makes cheating pointless, not impossible: no forward scrubbing past the frontier, no speed
 * menu (rates above 1x are reset), pause when the tab is hidden, snap back on 409. The server
 * decides what watching is worth from its own clock and what it delivered; this script reports
 * (heartbeats every 10 s while playing and on play, pause, seek and end) and follows answers.
 */
(function () {
  "use strict";

  var root = document.getElementById("player");
  if (!root) { return; }
  var P = window.AlurPacing;
  var S = JSON.parse(document.getElementById("player-strings").textContent);
  var video = root.querySelector("video");
  var seek = root.querySelector(".pc-seek");
  var frontierBar = root.querySelector(".pc-frontier");
  var playButton = root.querySelector(".pc-play");
  var bigPlay = root.querySelector(".player-big-play");
  var ccButton = root.querySelector(".pc-cc");
  var statusLine = root.querySelector(".player-status");
  var resumeBox = document.getElementById("player-resume");
  var alertBox = document.getElementById("player-alert");
  var doneBox = root.querySelector('[data-role="done"]');
  var nextBox = root.querySelector('[data-role="next"]');

  var duration = parseFloat(root.getAttribute("data-duration")) || 0;
  var frontier = parseFloat(root.getAttribute("data-frontier")) || 0;
  var completed = root.getAttribute("data-completed") === "true";
  var lang = root.getAttribute("data-lang") || "id";
  var session = null;
  var seq = 0;
  var reached = frontier;   // furthest point reached by playing at 1x here (the local guard)
  var lastTick = null;      // {t, pos} of the previous timeupdate
  var inflight = null;      // the heartbeat request under way; they are sent one at a time
  var pending = false;      // a heartbeat was asked for while one was in flight
  var stopped = false;      // taken over, deadline passed or attendance missing
  var timer = null;
  var hls = null;
  var captionsOn = false;

  function say(message) { statusLine.textContent = message || ""; }

  function render() {
    var total = duration || video.duration || 0;
    var current = video.currentTime || 0;
    var limit = Math.max(frontier, reached);
    frontierBar.style.width = (total ? Math.min(100, 100 * limit / total) : 0) + "%";
    if (document.activeElement !== seek) { seek.value = String(Math.floor(current)); }
    seek.setAttribute("aria-valuetext", S.position.replace("{current}", P.formatTime(current))
      .replace("{total}", P.formatTime(total)));
    root.querySelector('[data-role="current"]').textContent = P.formatTime(current);
    root.querySelector('[data-role="duration"]').textContent = P.formatTime(total);
    var playing = !video.paused && !video.ended;
    playButton.setAttribute("aria-label", playing ? S.pause : S.play);
    playButton.firstElementChild.innerHTML = playing ? "&#10073;&#10073;" : "&#9654;";
    bigPlay.hidden = playing || !session || stopped || !resumeBox.hidden;
  }

  function enableControls(on) {
    root.querySelectorAll(".player-bar button, .pc-seek").forEach(function (el) {
      if (el !== ccButton || (session && session.captions.length)) { el.disabled = !on; }
    });
  }

  /* --- heartbeats ------------------------------------------------------------------------ */

  function heartbeat(options) {
    if (!session || stopped) { return; }
    if (inflight) { pending = true; return; }
    seq += 1;
    var body = {position: Math.round((video.currentTime || 0) * 1000) / 1000,
                playing: !video.paused && !video.ended && !video.seeking,
                rate: video.playbackRate || 1, seq: seq};
    var url = "/api/v1/sessions/" + session.session_id + "/heartbeats";
    inflight = P.post(url, body, options).then(answer).then(function () {
      inflight = null;
      if (pending) { pending = false; heartbeat(); }
    });
  }

  function answer(result) {
    var data = result.data || {};
    if (result.status === 200) {
      frontier = Math.max(frontier, data.frontier || 0);
      if (data.completed && !completed) { complete(data); }
      completed = completed || data.completed;
      if (video.ended && !data.completed) {
        // A few seconds short (network jitter across pauses): watch them again.
        say(S.short);
        video.currentTime = Math.min(frontier, reached);
        video.play();
      }
    } else if (result.status === 409 && data.error === "ahead_of_frontier") {
      frontier = Math.max(frontier, data.frontier || 0);
      reached = data.resume_at || 0;
      video.currentTime = reached;
      say(S.no_skip);
    } else if (result.status === 410) {
      stop(S.taken_over, "takeover");
    } else if (result.status === 403 && data.error === "attendance_required") {
      stop(S.attendance, "verify", data.verify_url);
    } else if (result.status === 403 && data.error === "deadline_passed") {
      stop(S.deadline);
    }
    render();
  }

  function complete(data) {
    say("");  // the done box below says it, with the way on
    doneBox.hidden = false;
    P.refreshOutline(S.statuses);
    if (data.next_module) { P.showNext(nextBox, data.next_module, S.next); }
  }

  function stop(message, action, url) {
    stopped = true;
    video.pause();
    clearInterval(timer);
    if (hls) { hls.stopLoad(); }
    alertBox.querySelector("p").textContent = message;
    alertBox.querySelector('[data-action="takeover"]').hidden = action !== "takeover";
    var verify = alertBox.querySelector('[data-role="verify"]');
    verify.hidden = action !== "verify";
    if (url) { verify.href = P.withNext(url); }
    alertBox.hidden = false;
    enableControls(false);
    (action ? alertBox.querySelector(action === "verify" ? "a" : "button") : alertBox).focus();
  }

  /* --- opening a session and loading the media --------------------------------------------- */

  function open() {
    return P.post(root.getAttribute("data-sessions-url"), {device_id: P.deviceId()}).then(function (result) {
      var data = result.data || {};
      if (result.status !== 201) {
        if (data.error === "attendance_required") { stop(S.attendance, "verify", data.verify_url); }
        else if (data.error === "deadline_passed") { stop(S.deadline); }
        else { say((data && data.message) || S.error); }
        return null;
      }
      session = data;
      seq = 0;
      stopped = false;
      duration = data.duration_seconds || duration;
      frontier = Math.max(frontier, data.frontier || 0);
      reached = Math.max(reached, frontier);
      completed = completed || data.completed;
      return data;
    });
  }

  function addCaptions() {
    Array.prototype.slice.call(video.querySelectorAll("track")).forEach(function (t) { t.remove(); });
    session.captions.forEach(function (caption) {
      var track = document.createElement("track");
      track.kind = "captions";
      track.src = caption.url;
      track.srclang = caption.language;
      track.label = S.languages[caption.language] || caption.language;
      video.appendChild(track);
    });
    ccButton.hidden = !session.captions.length;
    setCaptions(captionsOn);
  }

  function setCaptions(on) {
    captionsOn = on;
    var tracks = Array.prototype.slice.call(video.textTracks || []);
    var preferred = tracks.filter(function (t) { return t.language === lang; })[0] || tracks[0];
    tracks.forEach(function (t) { t.mode = on && t === preferred ? "showing" : "hidden"; });
    ccButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function toggleCaptions() {
    setCaptions(!captionsOn);
    say(captionsOn ? S.captions_on : S.captions_off);
  }

  function load(start) {
    if (hls) { hls.destroy(); hls = null; }
    video.poster = session.poster_url || "";
    addCaptions();
    // Buffer at most ~15 s ahead: the server serves no segment starting more than 30 s past
    // the frontier, and the frontier trails the playhead by up to one heartbeat.
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({startPosition: start, maxBufferLength: 12, maxMaxBufferLength: 15,
                            backBufferLength: 30});
      hls.on(window.Hls.Events.ERROR, function (event, error) {
        if (!error.fatal || stopped) { return; }
        if (error.type === window.Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); return; }
        say(S.not_ready);
        setTimeout(function () { if (hls && !stopped) { hls.startLoad(); } }, 3000);
      });
      hls.loadSource(session.playlist_url);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = session.playlist_url;
      video.addEventListener("loadedmetadata", function once() {
        video.removeEventListener("loadedmetadata", once);
        video.currentTime = start;
      });
    } else {
      say(S.error);
      return;
    }
    video.currentTime = start;
    enableControls(true);
    render();
  }

  function askResume() {
    var at = session.resume_at || 0;
    if (completed || at < 5 || at > duration - 3) { load(completed ? 0 : at); return; }
    resumeBox.querySelector("p").textContent = S.resume.replace("{time}", P.formatTime(at));
    resumeBox.hidden = false;
    resumeBox.querySelector('[data-action="resume"]').focus();
  }

  function takeOver() {
    alertBox.hidden = true;
    open().then(function (data) {
      if (!data) { return; }
      load(data.resume_at || 0);
      video.play();
    });
  }

  /* --- the rules of the player --------------------------------------------------------------- */

  function allowed() { return Math.max(frontier, reached); }

  video.addEventListener("timeupdate", function () {
    var now = performance.now(), pos = video.currentTime;
    if (lastTick && !video.seeking && !video.paused) {
      var wall = (now - lastTick.t) / 1000, step = pos - lastTick.pos;
      // Only what played at (about) normal speed counts as reached here.
      if (step > 0 && step <= wall * 1.1 + 0.35) { reached = Math.max(reached, pos); }
    }
    lastTick = {t: now, pos: pos};
    render();
  });
  video.addEventListener("seeking", function () {
    lastTick = null;
    if (video.currentTime > allowed() + 0.5) {
      video.currentTime = allowed();
      say(S.no_skip);
    }
  });
  video.addEventListener("seeked", function () { heartbeat(); render(); });
  video.addEventListener("ratechange", function () {
    if (video.playbackRate > 1) { video.playbackRate = 1; say(S.no_speed); }
    if (video.defaultPlaybackRate > 1) { video.defaultPlaybackRate = 1; }
  });
  video.addEventListener("play", function () {
    if (stopped || !session) { video.pause(); return; }
    lastTick = null;
    heartbeat();
    clearInterval(timer);
    timer = setInterval(function () { if (!video.paused) { heartbeat(); } },
                        (session.heartbeat_seconds || 10) * 1000);
    render();
  });
  video.addEventListener("pause", function () {
    clearInterval(timer);
    if (!video.ended) { heartbeat(); }
    render();
  });
  video.addEventListener("ended", function () { clearInterval(timer); heartbeat(); render(); });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && !video.paused) { video.pause(); }
  });
  window.addEventListener("pagehide", function () {
    // The pause event would come too late to be sent: report the stop now, surviving unload.
    if (!session || stopped || video.paused) { return; }
    seq += 1;
    P.post("/api/v1/sessions/" + session.session_id + "/heartbeats",
           {position: Math.round((video.currentTime || 0) * 1000) / 1000, playing: false,
            rate: video.playbackRate || 1, seq: seq}, {keepalive: true});
  });

  /* --- controls ------------------------------------------------------------------------------ */

  function toggle() {
    if (!session || stopped) { return; }
    if (video.paused || video.ended) { video.play(); } else { video.pause(); }
  }

  function back() { video.currentTime = Math.max(0, video.currentTime - 10); }

  function fullscreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (root.requestFullscreen) { root.requestFullscreen(); }
  }

  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target || target.disabled) { return; }
    var action = target.getAttribute("data-action");
    if (action === "toggle" || action === "play") { toggle(); }
    else if (action === "back") { back(); }
    else if (action === "captions") { toggleCaptions(); }
    else if (action === "fullscreen") { fullscreen(); }
    else if (action === "takeover") { takeOver(); }
    else if (action === "resume" || action === "restart") {
      resumeBox.hidden = true;
      load(action === "resume" ? session.resume_at : 0);
      video.play();
    }
  });
  video.addEventListener("click", toggle);
  seek.addEventListener("input", function () {
    var target = parseFloat(seek.value) || 0;
    if (target > allowed()) {
      target = allowed();
      seek.value = String(Math.floor(target));
      say(S.no_skip);
    }
    video.currentTime = target;
  });
  root.addEventListener("keydown", function (event) {
    if (event.target.tagName === "INPUT" && event.key !== " ") { return; }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key.toLowerCase();
    if (key === " " || key === "k") {
      if (event.target.tagName === "BUTTON" && key === " ") { return; }
      event.preventDefault(); toggle();
    } else if (key === "j" || key === "arrowleft") { event.preventDefault(); back(); }
    else if (key === "c" && session && session.captions.length) { toggleCaptions(); }
    else if (key === "f") { fullscreen(); }
  });

  enableControls(false);
  render();
  open().then(function (data) {
    if (data) { askResume(); P.refreshOutline(S.statuses); }
  });

  // For tests and support: what the player believes (the server's word is in the evidence).
  window.alurPlayer = {
    state: function () {
      return {session: session && session.session_id, frontier: frontier, reached: reached,
              completed: completed, seq: seq, stopped: stopped};
    }
  };
}());
