// The event catalog's search (embedded in every page; no library, no network).
// Reads the index from <script type="application/json" id="search-data">, matches a query
// against event types, names, titles and field paths, and lists the hits as links. Results
// are built with DOM calls and textContent only, so no indexed text is ever parsed as HTML.
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var popup = document.getElementById("search-popup");
  var data = document.getElementById("search-data");
  if (!form || !input || !list || !status || !popup || !data) {
    return;
  }
  var entries = JSON.parse(data.textContent);
  var root = document.body.getAttribute("data-root") || "";
  var KINDS = { event: "Event", object: "Object type", "enum": "Enumeration", alias: "Type" };
  var LIMIT = 25;

  function lower(text) {
    return (text || "").toLowerCase();
  }

  function scoreText(entry, token) {
    var type = lower(entry.type);
    var name = lower(entry.name);
    if (type === token || name === token) { return 100; }
    var parts = type.split(".");
    if (parts.indexOf(token) >= 0) { return 90; }
    if (type.indexOf(token) >= 0 || name.indexOf(token) >= 0) { return 70; }
    if (lower(entry.title).indexOf(token) >= 0) { return 50; }
    return 0;
  }

  function fieldHits(entry, token) {
    var exact = [];
    var partial = [];
    entry.fields.forEach(function (path) {
      var segments = lower(path).split(/[.\[\]{}]+/);
      if (segments.indexOf(token) >= 0) { exact.push(path); }
      else if (lower(path).indexOf(token) >= 0) { partial.push(path); }
    });
    return { exact: exact, partial: partial };
  }

  function match(entry, tokens) {
    var score = 0;
    var fields = [];
    for (var i = 0; i < tokens.length; i++) {
      var text = scoreText(entry, tokens[i]);
      var hits = fieldHits(entry, tokens[i]);
      var field = hits.exact.length ? 40 : hits.partial.length ? 20 : 0;
      if (!text && !field) { return null; }
      score += Math.max(text, field);
      if (!text) { fields = fields.concat(hits.exact.length ? hits.exact : hits.partial); }
    }
    if (entry.kind === "event") { score += 5; }
    return { entry: entry, score: score, fields: fields };
  }

  function search(query) {
    var tokens = lower(query).split(/\s+/).filter(Boolean);
    if (!tokens.length) { return []; }
    var found = [];
    entries.forEach(function (entry, position) {
      var hit = match(entry, tokens);
      if (hit) { hit.position = position; found.push(hit); }
    });
    found.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
    return found;
  }

  function item(hit) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + hit.entry.href;
    var name = document.createElement("span");
    name.className = "name";
    name.textContent = hit.entry.title || hit.entry.name;
    var code = document.createElement("code");
    code.textContent = hit.entry.type;
    var what = document.createElement("span");
    what.className = "what";
    var words = [KINDS[hit.entry.kind] || hit.entry.kind];
    if (hit.fields.length) { words.push("field " + hit.fields.slice(0, 3).join(", ")); }
    what.textContent = words.join(" · ");
    a.appendChild(name);
    a.appendChild(code);
    a.appendChild(what);
    li.appendChild(a);
    return li;
  }

  function show(query) {
    var hits = search(query);
    list.textContent = "";
    hits.slice(0, LIMIT).forEach(function (hit) { list.appendChild(item(hit)); });
    popup.hidden = !query.trim();
    if (!query.trim()) {
      status.textContent = "";
    } else if (!hits.length) {
      status.textContent = "Nothing matches \u201c" + query.trim() + "\u201d.";
    } else {
      var shown = Math.min(hits.length, LIMIT);
      status.textContent = hits.length + (hits.length === 1 ? " result" : " results") +
        (shown < hits.length ? ", first " + shown + " shown" : "") + ". Arrow down to browse.";
    }
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }

  input.addEventListener("input", function () { show(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = links()[0];
    if (first) { window.location.href = first.href; }
  });
  form.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      if (at <= 0) { input.focus(); } else { all[at - 1].focus(); }
    } else if (event.key === "Escape") {
      input.value = "";
      show("");
      input.focus();
    }
  });
  // The results close when focus or a click leaves the search, and reopen on focus.
  form.addEventListener("focusout", function (event) {
    if (!form.contains(event.relatedTarget)) { popup.hidden = true; }
  });
  input.addEventListener("focus", function () { popup.hidden = !input.value.trim(); });
  form.hidden = false;
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    show(initial);
  }
})();
