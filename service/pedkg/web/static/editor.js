/*
 * pedkg's SPARQL editor: YASGUI (served by this server from static/vendor/) over the
 * server-rendered form. Without YASGUI the form and the server's table stay; with it
 * they are hidden and YASGUI queries /sparql on this server only.
 *
 * - the graph's prefixes: offered as you type a PREFIX and added when a known prefix is used;
 * - examples: links to /sparql?query=... (what they do without JavaScript), loaded and run here;
 * - permalink: the address bar and the permalink link carry the query (/sparql?query=...);
 * - downloads: /sparql?query=...&format=...&download=1 in every format of the query's form;
 * - truncation: the Pedkg-Result-Truncated response header shows a banner.
 */
(function () {
  "use strict";

  var host = document.getElementById("yasgui");
  var configElement = document.getElementById("editor-config");
  if (!host || !configElement || typeof window.Yasgui !== "function") {
    return; // the server-rendered form and table remain the editor
  }
  var Yasgui = window.Yasgui;
  var config = JSON.parse(configElement.textContent);
  var endpoint = new URL(config.endpoint, window.location.href);

  function pageUrl(params) {
    var url = new URL(endpoint.href);
    Object.keys(params).forEach(function (key) {
      url.searchParams.set(key, params[key]);
    });
    if (config.lang) {
      url.searchParams.set("lang", config.lang);
    }
    return url;
  }

  function permalink(query) {
    var url = pageUrl({ query: query });
    return url.pathname + url.search;
  }

  // The graph's prefixes, for the prefix autocompleter (no list is fetched from elsewhere).
  var prefixLines = Object.keys(config.prefixes)
    .sort()
    .map(function (prefix) {
      return prefix + ": <" + config.prefixes[prefix] + ">";
    });
  Yasgui.Yasqe.forkAutocompleter(
    "prefixes",
    { name: "pedkgPrefixes", persistenceId: null, get: prefixLines },
    false
  );

  // Only these completers, for every tab: never the LOV look-ups of properties and classes, which
  // would leave this server. (Set on the defaults: YASGUI merges a configured list into them.)
  Yasgui.defaults.yasqe.autocompleters = ["pedkgPrefixes", "variables"];

  // The share button of YASQE gives the same permalink as the page.
  Yasgui.Tab.prototype.getShareableLink = function () {
    return new URL(permalink(this.getQuery()), window.location.href).href;
  };

  var yasgui = new Yasgui(host, {
    persistenceId: null, // nothing kept in the browser: the URL is the state
    populateFromUrl: false, // the server already read ?query=; it is handed over below
    autofocus: !config.run,
    tabName: config.messages.query,
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint.href }];
      },
      keys: [],
    },
    requestConfig: {
      endpoint: endpoint.href,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
      acceptHeaderGraph: "text/turtle,*/*;q=0.9",
    },
    yasqe: {
      value: config.query,
      editorHeight: "320px",
      resizeable: true,
    },
    yasr: {
      prefixes: config.prefixes,
      persistenceId: null,
      maxPersistentResponseSize: 0,
    },
  });

  document.documentElement.classList.add("editor-enhanced");

  var linksBox = document.getElementById("live-links");
  var linksList = linksBox.querySelector("ul.downloads");
  var permalinkLink = linksBox.querySelector("a.permalink");
  var banner = document.getElementById("live-truncated");

  function currentTab() {
    return yasgui.getTab();
  }

  function updateLinks() {
    var tab = currentTab();
    var yasqe = tab && tab.getYasqe();
    if (!yasqe) {
      return;
    }
    var query = yasqe.getValue();
    var type = (yasqe.getQueryType() || "SELECT").toUpperCase();
    var names = type === "CONSTRUCT" || type === "DESCRIBE" ? config.formats.graphs : config.formats.results;
    linksList.textContent = "";
    names.forEach(function (name) {
      var url = pageUrl({ query: query, format: name, download: "1" });
      var item = document.createElement("li");
      var anchor = document.createElement("a");
      anchor.href = url.pathname + url.search;
      anchor.setAttribute("download", "");
      anchor.setAttribute("data-format", name);
      anchor.textContent = config.formatLabels[name];
      item.appendChild(anchor);
      linksList.appendChild(item);
    });
    permalinkLink.href = permalink(query);
    linksBox.hidden = false;
  }

  var watched = new WeakSet();
  function watch(tab) {
    var yasqe = tab && tab.getYasqe();
    if (!yasqe || watched.has(yasqe)) {
      return;
    }
    watched.add(yasqe);
    // CodeMirror's hidden textarea is what a screen reader meets: name it like the form's field
    yasqe.getInputField().setAttribute("aria-labelledby", "query-heading");
    var pending = null;
    yasqe.on("change", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(updateLinks, 250);
    });
    var button = yasqe.getWrapperElement().parentNode.querySelector(".yasqe_queryButton");
    if (button) {
      button.title = config.messages.run;
      button.setAttribute("aria-label", config.messages.run);
    }
  }

  // The download links and the banner sit between the tab's editor and its result view.
  function placeBoxes(tab) {
    var yasr = tab && tab.getYasr();
    if (yasr && yasr.rootEl && yasr.rootEl.parentNode) {
      yasr.rootEl.parentNode.insertBefore(linksBox, yasr.rootEl);
      yasr.rootEl.parentNode.insertBefore(banner, yasr.rootEl);
    }
  }

  function showTruncation(tab) {
    var results = tab.getYasr() && tab.getYasr().results;
    var response = results && results.res;
    var headers = response && response.headers;
    var cut = !!headers && headers.get("Pedkg-Result-Truncated") === "true";
    banner.hidden = !cut;
    banner.textContent = cut ? config.messages.truncated.replace("{n}", headers.get("Pedkg-Row-Limit") || "") : "";
  }

  yasgui.on("queryResponse", function (instance, tab) {
    // YASGUI announces the response before its result view takes it: read the headers just after.
    window.setTimeout(function () {
      showTruncation(tab);
      document.body.setAttribute("data-last-response", String(Date.now()));
    }, 0);
    var query = tab.getQuery();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", permalink(query));
    }
    updateLinks();
  });
  yasgui.on("tabSelect", function () {
    window.setTimeout(function () {
      watch(currentTab());
      placeBoxes(currentTab());
      updateLinks();
      showTruncation(currentTab());
    }, 0);
  });
  yasgui.on("tabAdd", function () {
    window.setTimeout(function () {
      watch(currentTab());
    }, 0);
  });

  Array.prototype.forEach.call(document.querySelectorAll("a.example"), function (anchor) {
    anchor.addEventListener("click", function (event) {
      if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
        return; // a new window or tab follows the link, which runs the query on the server
      }
      event.preventDefault();
      var tab = currentTab();
      tab.setQuery(anchor.getAttribute("data-query"));
      tab.query().catch(function () {});
      host.scrollIntoView({ behavior: "smooth", block: "start" });
    });
  });

  // A fresh editor starts with every prefix of the graph declared, folded into one line.
  if (!config.run) {
    var yasqe = currentTab().getYasqe();
    var declared = {};
    yasqe.getValue().replace(/PREFIX\s+([A-Za-z0-9_.-]*):/gi, function (whole, prefix) {
      declared[prefix] = true;
      return whole;
    });
    var prologue = Object.keys(config.prefixes)
      .filter(function (prefix) {
        return !declared[prefix];
      })
      .map(function (prefix) {
        return "PREFIX " + prefix + ": <" + config.prefixes[prefix] + ">\n";
      })
      .join("");
    currentTab().setQuery(prologue + yasqe.getValue());
    yasqe.collapsePrefixes(true);
  }
  watch(currentTab());
  placeBoxes(currentTab());
  updateLinks();
  if (config.run) {
    currentTab().query().catch(function () {});
  }
})();
