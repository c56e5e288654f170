/* Provider video upload: send the file with progress (to the app, or straight to the bucket
   when the store is S3), then follow the conversion by polling the asset's status every 2 s,
   without reloading the page. Without JavaScript the form posts as a plain multipart form. */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var FINAL = { ready: true, failed: true };
  var A = window.Alur;
  var csrfToken = A.csrfToken();
  var form = document.getElementById("video-upload");
  var list = document.getElementById("assets");
  var template = document.getElementById("asset-template");
  var live = document.querySelector(".upload-live");
  var polling = {};

  var fill = A.fill;

  function announce(text) {
    if (live) { live.textContent = text; }
  }

  function renderAsset(card, data) {
    var before = card.getAttribute("data-status");
    card.setAttribute("data-status", data.status);
    var badge = card.querySelector(".asset-status");
    badge.textContent = data.status_label;
    badge.className = "badge asset-status status-" + data.status;

    var progress = card.querySelector(".asset-progress");
    progress.hidden = data.status !== "processing";
    var bar = progress.querySelector(".progress");
    bar.setAttribute("aria-valuenow", String(data.progress_percent));
    bar.querySelector("span").style.width = data.progress_percent + "%";
    progress.querySelector(".asset-percent").textContent = data.progress_percent + "%";

    card.querySelector(".asset-retrying").hidden = !data.retrying;
    var error = card.querySelector(".asset-error");
    error.hidden = data.status !== "failed";
    error.querySelector(".asset-error-message").textContent = data.error_message || "";
    error.querySelector("details").hidden = !data.error_detail;
    error.querySelector(".asset-error-detail").textContent = data.error_detail || "";

    var renditions = card.querySelector(".renditions");
    while (renditions.firstChild) { renditions.removeChild(renditions.firstChild); }
    data.renditions.forEach(function (r) {
      var item = document.createElement("li");
      item.className = "rendition";
      item.setAttribute("data-name", r.name);
      item.appendChild(document.createTextNode(r.name + " "));
      var facts = document.createElement("span");
      facts.className = "muted";
      facts.textContent = r.width + "\u00d7" + r.height + ", " + Math.round(r.bandwidth / 1000) + " kbit/s";
      item.appendChild(facts);
      renditions.appendChild(item);
    });
    renditions.hidden = data.renditions.length === 0;

    if (before !== data.status && FINAL[data.status]) {
      var reload = card.querySelector(".asset-reload");
      if (reload) { reload.hidden = false; }
      announce(data.status === "ready" ? form.getAttribute("data-msg-ready") : data.error_message);
    }
  }

  function poll(card) {
    var id = card.getAttribute("data-asset-id");
    if (polling[id]) { return; }
    polling[id] = true;
    function tick() {
      fetch(card.getAttribute("data-status-url"), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (response.status === 404) { polling[id] = false; return null; }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (!data) { return; }
        renderAsset(card, data);
        if (FINAL[data.status]) { polling[id] = false; } else { setTimeout(tick, POLL_MS); }
      }).catch(function () {
        setTimeout(tick, POLL_MS * 3);  // a weak connection: keep following, more slowly
      });
    }
    setTimeout(tick, POLL_MS);
  }

  function addCard(data) {
    var card = template.content.firstElementChild.cloneNode(true);
    card.setAttribute("data-asset-id", String(data.asset_id));
    card.setAttribute("data-status-url", data.status_url);
    card.querySelector(".asset-name").textContent = data.original_filename;
    renderAsset(card, data);
    list.insertBefore(card, list.firstChild);
    var empty = document.querySelector(".assets-empty");
    if (empty) { empty.hidden = true; }
    if (!FINAL[data.status]) { poll(card); }
    return card;
  }

  function errorMessage(text, fallback) {
    try {
      var body = JSON.parse(text);
      if (body && body.message) { return body.message; }
    } catch (ignored) { /* not JSON: a proxy's or the bucket's own error page */ }
    return fallback;
  }

  /* The API's JSON answer, or a thrown message in the staff's language. */
  function postJson(url, body) {
    return A.post(url, body || {}).then(function (result) {
      if (result.status === 0) { throw form.getAttribute("data-msg-network"); }
      if (result.status < 200 || result.status >= 300) {
        throw (result.data && result.data.message) || form.getAttribute("data-msg-failed");
      }
      return result.data;
    });
  }

  function send(url, data, withCredentials, onSent) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      var box = form.querySelector(".upload-progress");
      var meter = box.querySelector("progress");
      var text = box.querySelector(".upload-progress-text");
      var file = data.get("file");
      var size = (file.size / 1048576).toFixed(1);
      xhr.open("POST", url);
      if (withCredentials) {
        xhr.withCredentials = true;
        xhr.setRequestHeader("Accept", "application/json");
        xhr.setRequestHeader("X-CSRFToken", csrfToken);
      }
      box.hidden = false;
      xhr.upload.onprogress = function (event) {
        if (!event.lengthComputable) { return; }
        var percent = Math.floor(100 * event.loaded / event.total);
        meter.value = percent;
        text.textContent = fill(form.getAttribute("data-msg-uploading"), { percent: percent, size: size });
      };
      xhr.upload.onload = function () {
        meter.value = 100;
        text.textContent = form.getAttribute("data-msg-checking");
        if (onSent) { onSent(); }
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { resolve(xhr.responseText); return; }
        reject(errorMessage(xhr.responseText, form.getAttribute("data-msg-failed")));
      };
      xhr.onerror = function () { reject(form.getAttribute("data-msg-network")); };
      xhr.send(data);
    });
  }

  function uploadToApp(plan, file) {
    var data = new FormData();
    data.append("csrf_token", csrfToken);
    data.append(plan.field || "file", file);
    return send(plan.url, data, true).then(function (text) { return JSON.parse(text); });
  }

  function uploadToBucket(plan, file) {
    var data = new FormData();
    Object.keys(plan.fields).forEach(function (name) { data.append(name, plan.fields[name]); });
    data.append("file", file);  // S3 wants the file as the last field
    return send(plan.url, data, false).then(function () {
      return postJson(plan.complete_url);
    });
  }

  if (!form || !window.FormData || !window.fetch || !window.Promise || !template) { return; }

  var button = form.querySelector('button[type="submit"]');
  var input = form.querySelector('input[type="file"]');
  var problem = form.querySelector(".upload-error");
  var busy = false;

  function showError(message) {
    problem.textContent = message || "";
    problem.hidden = !message;
    var old = form.querySelectorAll(".field .error");
    for (var i = 0; i < old.length; i += 1) { old[i].hidden = Boolean(message) || old[i].hidden; }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) { return; }
    var file = input.files && input.files[0];
    showError("");
    if (!file) { showError(form.getAttribute("data-msg-choose")); return; }
    if (file.size > Number(form.getAttribute("data-max-bytes"))) {
      showError(form.getAttribute("data-msg-too-large"));
      return;
    }
    busy = true;
    button.disabled = true;
    postJson(form.getAttribute("data-start-url"),
             { filename: file.name, size: file.size, content_type: file.type || "" })
      .then(function (plan) {
        return plan.method === "s3_post" ? uploadToBucket(plan, file) : uploadToApp(plan, file);
      })
      .then(function (asset) {
        addCard(asset);
        form.reset();
        form.querySelector(".upload-progress").hidden = true;
      })
      .catch(function (message) {
        form.querySelector(".upload-progress").hidden = true;
        showError(typeof message === "string" ? message : form.getAttribute("data-msg-failed"));
      })
      .then(function () {
        busy = false;
        button.disabled = false;
      });
  });

  var cards = list.querySelectorAll(".asset[data-asset-id]");
  for (var i = 0; i < cards.length; i += 1) {
    if (!FINAL[cards[i].getAttribute("data-status")]) { poll(cards[i]); }
  }
}());
