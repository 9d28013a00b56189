/* The header's search box as an autocomplete: the ARIA 1.2 combobox pattern over a listbox
 * of suggestions from /api/search. Without this script the box is a plain GET form to /search.
 *
 * Keys: ArrowDown/ArrowUp move through the suggestions (opening the list), Enter opens the
 * highlighted entity (or submits the form when none is), Escape closes the list, or clears the
 * box when it is already closed. Typing is debounced; an answer to an older request is dropped.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var LIMIT = 8;
  var WORDS = {
    en: { none: "No suggestions", count: "{n} suggestions, use the arrow keys", one: "1 suggestion, use the arrow keys",
          synonym: "synonym", code: "code", label: "label" },
    ko: { none: "추천 항목 없음", count: "추천 항목 {n}개, 화살표 키로 고르세요", one: "추천 항목 1개, 화살표 키로 고르세요",
          synonym: "동의어", code: "코드", label: "이름" }
  };

  function setUp(input) {
    var form = input.form;
    var list = document.getElementById("site-search-list");
    var status = document.getElementById("site-search-status");
    var lang = input.getAttribute("data-lang") === "ko" ? "ko" : "en";
    var words = WORDS[lang];
    var api = input.getAttribute("data-api");
    var keepLang = input.getAttribute("data-keep-lang") === "yes";
    var timer = null;
    var asked = 0;
    var hits = [];
    var active = -1;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    list.setAttribute("role", "listbox");

    function pageOf(hit) {
      // the API answers pedkg's own pages (/id/) and the resource page (/resource?iri=); nothing else is followed
      var href = String(hit.href || "");
      if (href.indexOf("/id/") !== 0 && href.indexOf("/resource?") !== 0) { return window.location.href; }
      return keepLang ? href + (href.indexOf("?") < 0 ? "?" : "&") + "lang=" + lang : href;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function option(hit, index) {
      var item = document.createElement("li");
      item.id = "site-search-option-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var label = document.createElement("span");
      label.className = "s-label";
      label.textContent = hit.label;
      if (hit.lang) { label.lang = hit.lang; }
      item.appendChild(label);
      var meta = document.createElement("span");
      meta.className = "s-meta";
      var type = document.createElement("span");
      type.textContent = hit.type_label || hit.type;
      if (hit.type_label_lang) { type.lang = hit.type_label_lang; }
      meta.appendChild(type);
      if (hit.matched !== hit.label) {
        meta.appendChild(document.createTextNode(" · " + words[hit.field] + ": "));
        var matched = document.createElement("span");
        matched.textContent = hit.matched;
        if (hit.matched_lang) { matched.lang = hit.matched_lang; }
        meta.appendChild(matched);
      }
      item.appendChild(meta);
      item.addEventListener("mousedown", function (event) { event.preventDefault(); });
      item.addEventListener("click", function () { window.location.href = pageOf(hit); });
      return item;
    }

    function show(found) {
      hits = found;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!found.length) {
        var empty = document.createElement("li");
        empty.className = "empty";
        empty.setAttribute("aria-disabled", "true");
        empty.setAttribute("role", "option");
        empty.id = "site-search-empty";
        empty.textContent = words.none;
        list.appendChild(empty);
        status.textContent = words.none;
      } else {
        found.forEach(function (hit, index) { list.appendChild(option(hit, index)); });
        status.textContent = found.length === 1 ? words.one : words.count.replace("{n}", found.length);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var text = input.value.trim();
      if (!text) { close(); hits = []; return; }
      var mine = ++asked;
      var url = api + "?" + new URLSearchParams({ q: text, lang: lang, limit: String(LIMIT) }).toString();
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { hits: [] }; })
        .then(function (body) { if (mine === asked && input.value.trim() === text) { show(body.hits || []); } })
        .catch(function () { /* the form still works: Enter searches on the server */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) {
          if (hits.length) { show(hits); } else { ask(); }
          return;
        }
        if (hits.length) { highlight(active + (event.key === "ArrowDown" ? 1 : -1)); }
      } else if (event.key === "Enter") {
        if (open && active >= 0 && hits[active]) {
          event.preventDefault();
          window.location.href = pageOf(hits[active]);
        }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); } else if (input.value) { event.preventDefault(); input.value = ""; hits = []; }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
    input.addEventListener("focus", function () { if (hits.length && input.value.trim()) { show(hits); } });
    if (form) { form.addEventListener("submit", close); }
  }

  function start() {
    var input = document.getElementById("site-search");
    if (input && window.fetch && window.URLSearchParams) { setUp(input); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
