/* The pacing player (templates/learning/_module_video.html): custom controls over hls.js (the
 * light build, loaded only when needed) or the browser's own HLS (Safari, iOS).
 *
 * It makes cheating pointless, not impossible: no forward scrubbing past the frontier, no speed
 * menu (rates above 1x are reset), pause when the tab is hidden, snap back on 409. The server
 * decides what watching is worth from its own clock and what it delivered; this script reports
 * (heartbeats every 10 s while playing and on play, pause, seek and end; study-session.js sends
 * them) and follows answers.
 *
 * Low data: with the learner's data saver ("Hemat kuota", data-max-height) the player never
 * fetches a taller rung; on a slow connection (Network Information API) it starts at the lowest
 * rung. When the network drops it pauses where it is, keeps retrying its heartbeats with
 * back-off, and plays on from the frontier when the network is back.
 */
(function () {
  "use strict";

  var root = document.getElementById("player");
  if (!root) { return; }
  var A = window.Alur, Study = window.AlurStudy;
  var S = JSON.parse(document.getElementById("player-strings").textContent);
  var HLS_TYPE = "application/vnd.apple.mpegurl";
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
  var maxHeight = parseInt(root.getAttribute("data-max-height"), 10) || 0;
  var cappedRung = root.getAttribute("data-capped-rung") || "";
  var captionsKey = "alur.captions";
  var session = null;
  var reached = frontier;   // furthest point reached by playing at 1x here (the local guard)
  var lastTick = null;      // {t, pos} of the previous timeupdate
  var stopped = false;      // taken over, deadline passed or attendance missing
  var offline = false;      // paused because the network dropped
  var playOnReconnect = false;
  var timer = null;
  var hls = null;
  var captionsOn = readCaptionsChoice();

  function readCaptionsChoice() {
    try { return window.localStorage.getItem(captionsKey) === "on"; } catch (e) { return false; }
  }

  function rememberCaptionsChoice(on) {
    try { window.localStorage.setItem(captionsKey, on ? "on" : "off"); } catch (e) { /* private mode */ }
  }

  function slowConnection() {
    var c = navigator.connection;
    return Boolean(c && (c.saveData || /(^|-)(2g|3g)$/.test(c.effectiveType || "")));
  }

  /* Safari and iOS play HLS themselves (no script to download); elsewhere hls.js on Media
   * Source Extensions keeps the buffer short, which the server's look-ahead limit needs. */
  function nativeHls() {
    var apple = (navigator.vendor || "").indexOf("Apple") === 0;
    var mse = Boolean(window.MediaSource || window.ManagedMediaSource);
    return Boolean(video.canPlayType(HLS_TYPE)) && (apple || !mse);
  }

  var hlsLoading = null;
  function loadHlsJs() {
    if (window.Hls) { return Promise.resolve(window.Hls); }
    if (!hlsLoading) {
      hlsLoading = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = root.getAttribute("data-hls-src");
        script.onload = function () { resolve(window.Hls || null); };
        script.onerror = function () { hlsLoading = null; resolve(null); };
        document.head.appendChild(script);
      });
    }
    return hlsLoading;
  }
  /* Nothing of the video (not even hls.js) is fetched before the learner shows an intent to
   * play: a learner who only opens the page spends a few kilobytes, not the first segments.
   * A touch, a pointer or focus in the player starts fetching hls.js, so play starts quickly. */
  function warmUp() { if (!nativeHls()) { loadHlsJs(); } }
  ["pointerdown", "focusin", "touchstart"].forEach(function (type) {
    root.addEventListener(type, warmUp, {once: true, passive: true});
  });

  function say(message) { statusLine.textContent = message || ""; }

  function render() {
    var total = duration || video.duration || 0;
    var current = attached ? (video.currentTime || 0) : (startAt || 0);
    var limit = Math.max(frontier, reached);
    A.setWidth(frontierBar, total ? 100 * limit / total : 0);
    if (document.activeElement !== seek) { seek.value = String(Math.floor(current)); }
    seek.setAttribute("aria-valuetext", S.position.replace("{current}", A.formatTime(current))
      .replace("{total}", A.formatTime(total)));
    root.querySelector('[data-role="current"]').textContent = A.formatTime(current);
    root.querySelector('[data-role="duration"]').textContent = A.formatTime(total);
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

  /* --- heartbeats (study-session.js) ------------------------------------------------------- */

  var client = new Study.StudySession(root, {
    body: function () {
      return {position: Math.round((video.currentTime || 0) * 1000) / 1000,
              playing: !video.paused && !video.ended && !video.seeking,
              rate: video.playbackRate || 1};
    },
    answered: answer,
    stopped: function (kind, url) {
      stop(kind === "taken_over" ? S.taken_over : (kind === "attendance" ? S.attendance : S.deadline),
           kind, url);
    },
    connection: function (online) { if (online) { backOnline(); } else { lostNetwork(); } }
  });

  function heartbeat() { if (session && !stopped) { client.beat(); } }

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
    }
    render();
  }

  function complete(data) {
    say("");  // the done box below says it, with the way on
    doneBox.hidden = false;
    Study.refreshOutline(S.statuses);
    if (data.next_module) { Study.showNext(nextBox, data.next_module, S.next); }
  }

  function stop(message, kind, url) {
    stopped = true;
    video.pause();
    clearInterval(timer);
    if (hls) { hls.stopLoad(); }
    enableControls(false);
    Study.showStop(alertBox, message, kind, url);
  }

  /* --- the network dropping and coming back -------------------------------------------------- */

  function lostNetwork() {
    if (offline || stopped || !session) { return; }
    offline = true;
    playOnReconnect = playOnReconnect || (!video.paused && !video.ended);
    video.pause();
    say(S.offline);
  }

  function backOnline() {
    if (!offline) { return; }
    offline = false;
    say(S.online);
    if (hls) { hls.startLoad(); }
    if (playOnReconnect && !stopped) {
      playOnReconnect = false;
      // What the server counted is the frontier; anything past it was never credited.
      video.currentTime = Math.min(video.currentTime || 0, allowed());
      video.play();
    }
  }

  window.addEventListener("offline", lostNetwork);
  window.addEventListener("online", function () {
    // The client says so too once a heartbeat gets through; a paused player may have none due.
    if (client.online) { backOnline(); } else { heartbeat(); }
  });

  /* --- opening a session and loading the media --------------------------------------------- */

  function open() {
    return client.open().then(function (opened) {
      if (!opened.session) {
        if (!client.stopped) { say(opened.error || S.error); }
        return null;
      }
      var data = opened.session;
      session = data;
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
    rememberCaptionsChoice(on);
    var tracks = Array.prototype.slice.call(video.textTracks || []);
    var preferred = tracks.filter(function (t) { return t.language === lang; })[0] || tracks[0];
    tracks.forEach(function (t) { t.mode = on && t === preferred ? "showing" : "hidden"; });
    ccButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function toggleCaptions() {
    setCaptions(!captionsOn);
    say(captionsOn ? S.captions_on : S.captions_off);
  }

  /* The rung playlist a native player gets under the data saver: it cannot choose rungs. */
  function nativeSource() {
    return cappedRung ? session.playlist_url.replace(/master\.m3u8$/, cappedRung + "/index.m3u8")
      : session.playlist_url;
  }

  function startHlsJs(Hls, start) {
    var slow = slowConnection();
    // Buffer at most ~15 s ahead: the server serves no segment starting more than 30 s past
    // the frontier, and the frontier trails the playhead by up to one heartbeat.
    hls = new Hls({startPosition: start, maxBufferLength: 12, maxMaxBufferLength: 15,
                   // The learner's cap is exact; without one, no rung wider than the screen.
                   backBufferLength: 30, capLevelToPlayerSize: !maxHeight,
                   abrEwmaDefaultEstimate: slow ? 150000 : 500000});
    hls.on(Hls.Events.MANIFEST_PARSED, function () {
      var cap = -1;
      hls.levels.forEach(function (level, index) {
        if (maxHeight && level.height && level.height <= maxHeight) { cap = index; }
      });
      if (maxHeight) { hls.autoLevelCapping = cap < 0 ? 0 : cap; }
      if (slow || maxHeight) { hls.startLevel = 0; }
    });
    hls.on(Hls.Events.ERROR, function (event, error) {
      if (!error.fatal || stopped) { return; }
      if (error.type === Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); return; }
      if (!offline) { say(S.not_ready); }
      setTimeout(function () { if (hls && !stopped) { hls.startLoad(); } }, 3000);
    });
    hls.loadSource(session.playlist_url);
    hls.attachMedia(video);
  }

  var attached = null;  // a promise once the video's source is attached, null before
  var startAt = 0;      // where playing starts when the source is attached

  /* Get ready to play from `start`: captions and controls now, the source on first play. */
  function load(start) {
    if (hls) { hls.destroy(); hls = null; }
    attached = null;
    startAt = start || 0;
    if (session.poster_url && !maxHeight && !slowConnection()) { video.poster = session.poster_url; }
    addCaptions();
    ready();
    return Promise.resolve();
  }

  function attach() {
    if (attached) { return attached; }
    var start = startAt;
    if (nativeHls()) {
      video.src = nativeSource();
      video.addEventListener("loadedmetadata", function once() {
        video.removeEventListener("loadedmetadata", once);
        video.currentTime = start;
      });
      attached = Promise.resolve(true);
    } else {
      attached = loadHlsJs().then(function (Hls) {
        if (!Hls || !Hls.isSupported()) { say(S.error); return false; }
        startHlsJs(Hls, start);
        return true;
      });
    }
    return attached;
  }

  function ready() {
    enableControls(true);
    render();
  }

  function askResume() {
    var at = session.resume_at || 0;
    if (completed || at < 5 || at > duration - 3) { load(completed ? 0 : at); return; }
    resumeBox.querySelector("p").textContent = S.resume.replace("{time}", A.formatTime(at));
    resumeBox.hidden = false;
    resumeBox.querySelector('[data-action="resume"]').focus();
  }

  function takeOver() {
    alertBox.hidden = true;
    open().then(function (data) {
      if (!data) { return; }
      load(data.resume_at || 0).then(function () { video.play(); playButton.focus(); });
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
    if (!attached) {
      // The first play: attach the source, then play it (the pending play had nothing yet).
      attach().then(function (ok) {
        if (ok && !stopped && !offline) { video.play().catch(function () {}); }
      });
    }
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
    client.farewell({playing: false});
  });

  /* --- controls ------------------------------------------------------------------------------ */

  function toggle() {
    if (!session || stopped) { return; }
    if (video.paused || video.ended) { video.play().catch(function () {}); } else { video.pause(); }
  }

  function back() {
    if (!attached) { startAt = Math.max(0, startAt - 10); render(); return; }
    video.currentTime = Math.max(0, video.currentTime - 10);
  }

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
      // The button that had focus is gone with the dialog: keep focus in the player.
      load(action === "resume" ? session.resume_at : 0).then(function () {
        playButton.focus();
        video.play();
      });
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
    if (!attached) { startAt = target; render(); return; }
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
    // The outline beside the player was rendered with this page: no need to fetch it again.
    if (data) { askResume(); }
  });

  // For tests and support: what the player believes (the server's word is in the evidence).
  window.alurPlayer = {
    state: function () {
      return {session: session && session.session_id, frontier: frontier, reached: reached,
              completed: completed, seq: client.seq, stopped: stopped,
              offline: offline, engine: hls ? "hls.js" : (video.src ? "native" : null),
              maxLevel: hls ? hls.autoLevelCapping : null};
    }
  };
}());
