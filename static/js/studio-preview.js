// The studio's video preview: plays the module's ready video to its staff; no session is
// opened, so nothing is recorded.
(function () {
  "use strict";
  var video = document.getElementById("preview-video");
  if (!video) return;
  var src = video.dataset.src;
  if (video.canPlayType("application/vnd.apple.mpegurl")) { video.src = src; return; }
  if (window.Hls && window.Hls.isSupported()) {
    var hls = new window.Hls();
    hls.loadSource(src);
    hls.attachMedia(video);
  }
})();
