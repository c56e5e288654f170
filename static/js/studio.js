// The studio's module list: reorder by drag and drop (SortableJS) or with the Move up / Move
// down buttons; every change is saved at once and announced in the live region. Without
// script the buttons still post their forms.
(function () {
  "use strict";
  var list = document.getElementById("module-list");
  if (!list || !list.dataset.reorderUrl) return;
  var status = document.getElementById("order-status");
  var strings = JSON.parse(document.getElementById("studio-strings").textContent);

  function announce(text) { status.textContent = text; }

  function items() { return Array.prototype.slice.call(list.querySelectorAll(":scope > li")); }

  function renumber() {
    var all = items();
    all.forEach(function (li, i) {
      li.querySelector(".position").textContent = String(i + 1);
      var up = li.querySelector('[data-move="up"]'), down = li.querySelector('[data-move="down"]');
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === all.length - 1;
    });
  }

  function movedMessage(li) {
    var all = items();
    return window.Alur.fill(strings.moved, {title: li.dataset.title,
      n: String(all.indexOf(li) + 1), total: String(all.length)});
  }

  function saveOrder(li) {
    var order = items().map(function (x) { return Number(x.dataset.module); });
    return window.Alur.post(list.dataset.reorderUrl, {order: order}).then(function (answer) {
      // Alur.post resolves on every answer (status 0 when the network failed), so a refused
      // or lost save is told apart here, not by a rejection.
      var saved = answer.status >= 200 && answer.status < 300;
      announce(!saved ? strings.failed : li ? movedMessage(li) : strings.saved);
    });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (!button) return;
    event.preventDefault();
    var li = button.closest("li");
    var up = button.dataset.move === "up";
    var sibling = up ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (up) list.insertBefore(li, sibling); else list.insertBefore(sibling, li);
    renumber();
    var again = li.querySelector('[data-move="' + button.dataset.move + '"]');
    (again && !again.disabled ? again : li.querySelector("button[data-move]:not([disabled])")).focus();
    saveOrder(li);
  });

  if (window.Sortable) {
    window.Sortable.create(list, {handle: ".drag-handle", animation: 150,
      onEnd: function (evt) { renumber(); saveOrder(evt.item); }});
  }
})();
