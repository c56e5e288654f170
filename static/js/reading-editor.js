// The reading editor: a small toolbar over an editable copy of the text (bold, italic, heading,
// lists, link, image). The textarea stays the form's field and gets the edited HTML before
// every submit; without script it is shown and edited as HTML. The server sanitises either way.
(function () {
  "use strict";
  var box = document.getElementById("reading-editor");
  var textarea = document.getElementById("body");
  if (!box || !textarea || !document.execCommand) return;
  var area = box.querySelector("[data-role=area]");
  var picker = box.querySelector("[data-role=picker]");
  var status = box.querySelector("[data-role=status]");
  var strings = JSON.parse(document.getElementById("reading-editor-strings").textContent);
  var saved = null;

  area.innerHTML = textarea.value;
  box.hidden = false;
  textarea.hidden = true;
  document.querySelector('label[for="body"]').hidden = true;

  function sync() { textarea.value = area.innerHTML; }
  area.addEventListener("input", sync);
  textarea.form.addEventListener("submit", sync);

  function remember() {
    var selection = window.getSelection();
    if (selection.rangeCount && area.contains(selection.anchorNode)) saved = selection.getRangeAt(0);
  }
  function restore() {
    area.focus();
    if (!saved) return;
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(saved);
  }
  area.addEventListener("keyup", remember);
  area.addEventListener("mouseup", remember);
  area.addEventListener("blur", remember);

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  function run(command) {
    restore();
    if (command === "heading") {
      document.execCommand("formatBlock", false, "h2");
    } else if (command === "link") {
      var url = window.prompt(strings.link_url, "https://");
      if (url) document.execCommand("createLink", false, url);
    } else if (command === "image") {
      picker.click();
      return;
    } else {
      document.execCommand(command, false, null);
    }
    sync();
  }

  box.querySelector("[role=toolbar]").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-command]");
    if (button) { event.preventDefault(); run(button.dataset.command); }
  });

  picker.addEventListener("change", function () {
    var file = picker.files[0];
    if (!file) return;
    var alt = window.prompt(strings.alt_text, "") || "";
    var data = new FormData();
    data.append("image", file);
    status.textContent = strings.uploading;
    fetch(box.dataset.imageUrl, {method: "POST", body: data, credentials: "same-origin",
                                 headers: {"X-CSRFToken": window.Alur.csrfToken(),
                                           "Accept": "application/json"}})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok || !body.src) throw new Error(body.message || strings.failed);
          restore();
          document.execCommand("insertHTML", false,
            '<img src="' + escapeAttribute(body.src) + '" alt="' + escapeAttribute(alt) + '">');
          sync();
          status.textContent = strings.inserted;
        });
      })
      .catch(function (error) { status.textContent = error.message || strings.failed; })
      .then(function () { picker.value = ""; });
  });
})();
