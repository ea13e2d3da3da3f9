/* Drafts of long forms kept in the browser (localStorage), so that nothing typed is lost: not
 * to an expired session (the login page comes in between), not to a closed tab, not to a
 * refused step. A form opts in with data-draft="<key>"; data-draft-bound="1" when the server
 * re-shows what was posted (its values win). The draft is removed once the form has been
 * accepted: the next page carries a success message and no longer shows the form.
 * Files (photo, scans, fingerprints) cannot be kept by the browser: they are named in the notice.
 * No inline script or style (strict CSP); texts come from the form's data-draft-* attributes. */
(function () {
  "use strict";
  var PREFIX = "draft:";
  var PENDING = "draft-pending";

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function session() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  function kept(field) {
    if (!field.name || field.disabled) return false;
    var type = (field.type || "").toLowerCase();
    return ["file", "password", "hidden", "submit", "button", "reset"].indexOf(type) < 0
      && field.name !== "csrfmiddlewaretoken";
  }
  function read(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) return;
      var type = (field.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        if (field.checked) (values[field.name] = values[field.name] || []).push(field.value);
        else values[field.name] = values[field.name] || [];
      } else if (field.multiple) {
        values[field.name] = Array.prototype.filter.call(field.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[field.name] = field.value;
      }
    });
    return values;
  }
  function write(form, values) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field) || !(field.name in values)) return;
      var value = values[field.name];
      var type = (field.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        field.checked = Array.isArray(value) && value.indexOf(field.value) >= 0;
      } else if (field.multiple && Array.isArray(value)) {
        Array.prototype.forEach.call(field.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
      } else if (typeof value === "string") {
        field.value = value;
      }
    });
  }
  function hasText(values) {
    return Object.keys(values).some(function (name) {
      var v = values[name];
      return Array.isArray(v) ? v.length > 0 : (v || "").trim() !== "";
    });
  }
  function notice(form, text, key) {
    var box = document.createElement("div");
    box.className = "draft-notice";
    box.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "linklike";
    clear.textContent = form.getAttribute("data-draft-clear-label") || "Effacer le brouillon";
    clear.addEventListener("click", function () {
      var s = store();
      if (s) s.removeItem(PREFIX + key);
      form.reset();
      box.parentNode.removeChild(box);
    });
    box.appendChild(clear);
    form.insertBefore(box, form.firstChild);
  }

  function settlePending() {
    var ss = session(), s = store();
    if (!ss || !s) return;
    var key = ss.getItem(PENDING);
    if (!key) return;
    var stillHere = document.querySelector('form[data-draft="' + key + '"]');
    var accepted = document.querySelector(".messages .msg-success");
    if (!stillHere && accepted) {
      s.removeItem(PREFIX + key);
      ss.removeItem(PENDING);
    } else if (stillHere) {
      ss.removeItem(PENDING);
    }
    /* Neither (the login page after an expired session): keep both, the draft comes back. */
  }

  function watch(form) {
    var s = store();
    if (!s) return;
    var key = form.getAttribute("data-draft");
    var saved = s.getItem(PREFIX + key);
    if (saved && form.getAttribute("data-draft-bound") !== "1") {
      try {
        var draft = JSON.parse(saved);
        if (draft && draft.values && hasText(draft.values)) {
          write(form, draft.values);
          var when = new Date(draft.at);
          var text = (form.getAttribute("data-draft-restored") || "Brouillon restauré") + " ("
            + when.toLocaleString() + ")";
          if (form.querySelector('input[type="file"]')) {
            text += " " + (form.getAttribute("data-draft-files") || "");
          }
          notice(form, text, key);
        }
      } catch (e) {
        s.removeItem(PREFIX + key);
      }
    }
    var save = function () {
      var values = read(form);
      if (hasText(values)) {
        try { s.setItem(PREFIX + key, JSON.stringify({ at: Date.now(), values: values })); } catch (e) { /* full */ }
      }
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function () {
      save();
      var ss = session();
      if (ss) ss.setItem(PENDING, key);
    });
  }

  function start() {
    settlePending();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), watch);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
