// paperfields report: renders the data embedded in this page (two JSON blocks) into
// searchable, filterable, sortable tables. Every value from papers or the model is set
// with textContent or a fixed attribute, never parsed as HTML. No network requests.
// A run's user-defined fields are numbered after the five built-in ones.
(function () {
  "use strict";
  var PAGE = 100;
  var papers = JSON.parse(document.getElementById("pf-papers").textContent);
  var S = JSON.parse(document.getElementById("pf-summary").textContent);
  var names = S.names;
  var FIELDS = ["tasks", "methods", "datasets", "metrics", "claims"];
  var SINGULAR = ["Task", "Method", "Dataset", "Metric", "Claim"];
  var BUILTIN = FIELDS.length;
  var USER = S.user_fields || [];  // [name, type, offered as a filter]
  function label(name) { var t = name.replace(/_/g, " "); return t.charAt(0).toUpperCase() + t.slice(1); }
  USER.forEach(function (u) { FIELDS.push(u[0]); SINGULAR.push(label(u[0])); });
  function fieldClass(fi) { return fi < BUILTIN ? "f-" + FIELDS[fi] : "f-u" + ((fi - BUILTIN) % 6); }
  function isScalar(fi) { return fi >= BUILTIN && USER[fi - BUILTIN][1] !== "list"; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === "text") node.textContent = attrs[key];
        else if (key === "cls") node.className = attrs[key];
        else node.setAttribute(key, attrs[key]);
      });
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function byId(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function short(text, n) { return text.length > n ? text.slice(0, n - 1) + "\u2026" : text; }

  // --- papers: P = [id, title, status, url, summary, extractor, abstract, items, segments, error]
  function P(i) {
    var p = papers[i];
    return {id: p[0], title: p[1] || "(untitled)", status: p[2], url: p[3], summary: p[4],
            extractor: p[5], abstract: p[6], items: p[7], segments: p[8], error: p[9]};
  }
  // item = [field, canonical index, as written or null, start, end, extra, evidence or null]
  function canon(item) { return names[item[1]]; }
  function written(item) { return item[2] === null ? canon(item) : item[2]; }
  function count(p, f) { return p[7].filter(function (it) { return it[0] === f; }).length; }
  function proposed(p) {
    return p[7].filter(function (it) { return it[0] === 1 && it[5] && it[5][0]; })
      .map(canon).filter(function (v, i, a) { return a.indexOf(v) === i; }).join("; ");
  }
  function fieldNames(p, f) {
    return p[7].filter(function (it) { return it[0] === f; }).map(canon)
      .filter(function (v, i, a) { return a.indexOf(v) === i; }).join("; ");
  }
  function scalarItem(p, fi) {  // a user scalar's one item, or null when the paper gives none
    for (var k = 0; k < p[7].length; k++) if (p[7][k][0] === fi) return p[7][k];
    return null;
  }
  function safeUrl(url) { return typeof url === "string" && /^https:\/\/arxiv\.org\/abs\//.test(url); }
  function paperLink(pos, label) {
    if (pos >= papers.length) return el("span", {cls: "muted", text: label || "(not in this report)"});
    var a = el("a", {href: "#paper", cls: "pref", "data-pos": String(pos)});
    a.textContent = label || short(P(pos).title, 70);
    a.title = P(pos).id;
    return a;
  }

  // --- a sortable, pageable table ------------------------------------------------------
  // columns: [{label, key: row -> sort value, cell: row -> Node|string, num}]
  function Grid(host, columns, rows, options) {
    this.host = host; this.columns = columns; this.all = rows; this.rows = rows;
    this.sort = null; this.dir = 1; this.page = 0; this.paged = options && options.paged;
    this.id = options && options.id;
    this.render();
  }
  Grid.prototype.setRows = function (rows) { this.rows = rows; this.page = 0; this.order(); this.render(); };
  Grid.prototype.order = function () {
    if (this.sort === null) return;
    var col = this.columns[this.sort], dir = this.dir;
    this.rows = this.rows.slice().sort(function (a, b) {
      var x = col.key(a), y = col.key(b);
      if (x === y) return 0;
      if (x === null || x === undefined || x === "") return 1;
      if (y === null || y === undefined || y === "") return -1;
      return (x < y ? -1 : 1) * dir;
    });
  };
  Grid.prototype.render = function () {
    var self = this;
    clear(this.host);
    var head = el("tr", null, this.columns.map(function (col, i) {
      var th = el("th", {scope: "col", tabindex: "0", cls: "sortable" + (col.num ? " num" : "")});
      th.textContent = col.label;
      th.setAttribute("aria-sort", self.sort === i ? (self.dir > 0 ? "ascending" : "descending") : "none");
      th.addEventListener("click", function () {
        self.dir = self.sort === i ? -self.dir : 1; self.sort = i; self.order(); self.render();
      });
      return th;
    }));
    var start = this.paged ? this.page * PAGE : 0;
    var end = this.paged ? Math.min(this.rows.length, start + PAGE) : this.rows.length;
    var body = el("tbody");
    for (var r = start; r < end; r++) {
      var row = this.rows[r];
      body.appendChild(el("tr", {"data-row": String(r)}, this.columns.map(function (col) {
        var value = col.cell(row);
        return el("td", {cls: col.num ? "num" : ""}, [value === null || value === undefined ? "" : value]);
      })));
    }
    var table = el("table", this.id ? {id: this.id} : null, [el("thead", null, [head]), body]);
    this.host.appendChild(table);
    if (this.paged && this.rows.length > PAGE) {
      var pages = Math.ceil(this.rows.length / PAGE);
      var prev = el("button", {type: "button", text: "\u2039 previous"});
      var next = el("button", {type: "button", text: "next \u203a"});
      prev.disabled = this.page === 0; next.disabled = this.page >= pages - 1;
      prev.addEventListener("click", function () { self.page -= 1; self.render(); });
      next.addEventListener("click", function () { self.page += 1; self.render(); });
      this.host.appendChild(el("p", {cls: "pager"}, [prev, " page " + (this.page + 1) + " of " + pages + " ", next]));
    }
  };

  // --- the papers view -------------------------------------------------------------------
  var haystacks = [];
  function haystack(i) {
    if (haystacks[i] === undefined) {
      var p = papers[i];
      var parts = [p[0], p[1], p[4] || "", p[6] || ""];
      p[7].forEach(function (it) {
        parts.push(canon(it)); if (it[2]) parts.push(it[2]); if (it[6]) parts.push(it[6]);
        if (it[0] === 3 && it[5]) { parts.push(it[5][0] || ""); if (it[5][5]) parts.push(it[5][5]); }
      });
      haystacks[i] = parts.join("\n").toLowerCase();
    }
    return haystacks[i];
  }
  var filters = {};
  function visible() {
    var words = byId("search").value.toLowerCase().split(/\s+/).filter(Boolean);
    var out = [];
    for (var i = 0; i < papers.length; i++) {
      var ok = true;
      for (var f in filters) {
        if (filters[f] === "") continue;
        var want = Number(filters[f]), fi = FIELDS.indexOf(f);
        if (!papers[i][7].some(function (it) { return it[0] === fi && it[1] === want; })) { ok = false; break; }
      }
      if (ok && words.length) {
        var text = haystack(i);
        ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      }
      if (ok) out.push(i);
    }
    return out;
  }
  var paperColumns = [
    {label: "#", num: true, key: function (i) { return i; }, cell: function (i) { return String(i + 1); }},
    {label: "Title", key: function (i) { return P(i).title.toLowerCase(); },
     cell: function (i) { return paperLink(i, P(i).title); }},
    {label: "Id", key: function (i) { return papers[i][0]; }, cell: function (i) {
      var p = P(i);
      return safeUrl(p.url) ? el("a", {href: p.url, rel: "noopener noreferrer", text: p.id}) : p.id;
    }},
    {label: "Status", key: function (i) { return papers[i][2]; }, cell: function (i) { return papers[i][2]; }},
    {label: "Proposed", key: function (i) { return proposed(papers[i]).toLowerCase(); },
     cell: function (i) { return proposed(papers[i]); }},
    {label: "Datasets", key: function (i) { return fieldNames(papers[i], 2).toLowerCase(); },
     cell: function (i) { return fieldNames(papers[i], 2); }}
  ];
  FIELDS.forEach(function (f, fi) {
    if (fi === 2 || fi >= BUILTIN) return;
    paperColumns.push({label: f[0].toUpperCase() + f.slice(1), num: true,
      key: function (i) { return count(papers[i], fi); }, cell: function (i) { return String(count(papers[i], fi)); }});
  });
  USER.forEach(function (u, k) {
    var fi = BUILTIN + k;
    if (u[1] === "list") {
      paperColumns.push({label: label(u[0]), num: true,
        key: function (i) { return count(papers[i], fi); }, cell: function (i) { return String(count(papers[i], fi)); }});
      return;
    }
    paperColumns.push({label: label(u[0]), num: u[1] === "number",
      key: function (i) {
        var it = scalarItem(papers[i], fi);
        if (it === null) return null;
        return u[1] === "number" && typeof it[5] === "number" ? it[5] : canon(it).toLowerCase();
      },
      cell: function (i) { var it = scalarItem(papers[i], fi); return it === null ? "" : canon(it); }});
  });
  var grid = null;
  function refresh() {
    var rows = visible();
    grid.setRows(rows);
    byId("shown").textContent = rows.length + " of " + papers.length + " papers";
  }

  // --- one paper: the abstract with highlights and notes --------------------------------
  function tooltip(p, n) {
    var it = p.items[n], f = it[0], text = SINGULAR[f] + " " + (n + 1) + ": ";
    if (f === 4) return text + "[" + canon(it) + "] " + written(it);
    text += canon(it);
    if (f === 3 && it[5]) {
      if (it[5][0]) text += " = " + it[5][0];
      if (it[5][4] !== null) text += " on " + names[it[5][4]];
    }
    if (f === 1 && it[5] && it[5][0]) text += " (proposed)";
    if (f === 2 && it[5] && it[5] !== "unknown") text += " (" + it[5] + ")";
    if (it[2] !== null) text += " | as written: " + it[2];
    return text;
  }
  function showPaper(pos) {
    var p = P(pos), host = byId("detail");
    clear(host);
    var anchor = "p" + pos + "-";
    var meta = [safeUrl(p.url) ? el("a", {href: p.url, rel: "noopener noreferrer", text: p.id}) : p.id,
                " \u00b7 " + p.status + " \u00b7 " + p.extractor];
    var close = el("button", {type: "button", cls: "close", "aria-label": "Close", text: "\u2715 close"});
    close.addEventListener("click", function () { clear(host); host.hidden = true; });
    var article = el("article", {cls: "paper" + (p.status === "ok" ? "" : " failed"), id: "paper-" + pos}, [
      close, el("h2", {text: (pos + 1) + ". " + p.title}), el("p", {cls: "muted"}, meta)]);
    if (p.error) article.appendChild(el("p", {cls: "error", text: p.error}));
    if (p.summary) article.appendChild(el("p", null, [el("b", {text: "Summary: "}), p.summary]));
    var values = el("dl", {cls: "values"});
    USER.forEach(function (u, k) {  // every user scalar as a labelled value
      var fi = BUILTIN + k;
      if (!isScalar(fi)) return;
      var it = null, n = -1;
      p.items.forEach(function (item, m) { if (item[0] === fi && n < 0) { it = item; n = m; } });
      values.appendChild(el("dt", null, [el("span", {cls: "tag " + fieldClass(fi), text: SINGULAR[fi]})]));
      var dd = el("dd");
      if (it === null) dd.appendChild(el("span", {cls: "muted", text: "not stated"}));
      else {
        dd.appendChild(el("b", {text: canon(it)}));
        if (it[3] !== null && p.abstract !== null) dd.appendChild(el("span", null, [" ", el("a", {href: "#" + anchor + "i" + (n + 1), text: "in abstract"})]));
        else if (it[6]) dd.appendChild(el("span", null, [" ", el("q", {text: it[6]}), " ", el("span", {cls: "error", text: "(not found in abstract)"})]));
      }
      values.appendChild(dd);
    });
    if (values.firstChild) article.appendChild(values);
    var abstract = el("p", {cls: "abstract"});
    if (p.abstract === null) {
      abstract.appendChild(el("span", {cls: "muted", text: "The abstract and its highlights are left out of this report (size limit); the CSV, SQLite or Parquet export has every paper."}));
    } else {
      var at = 0;
      p.segments.forEach(function (seg) {
        // seg = [start, end, named, lead field, [covering items], [refs after]]
        if (seg[0] > at) abstract.appendChild(document.createTextNode(p.abstract.slice(at, seg[0])));
        seg[4].forEach(function (n) {
          if (p.items[n][3] === seg[0]) abstract.appendChild(el("a", {id: anchor + "i" + (n + 1)}));
        });
        var cls = (seg[2] ? "hl" : "ev") + " " + fieldClass(seg[3]) + (seg[4].length > 1 ? " multi" : "");
        var mark = el("mark", {cls: cls, title: seg[4].map(function (n) { return tooltip(p, n); }).join("\n")});
        mark.textContent = p.abstract.slice(seg[0], seg[1]);
        abstract.appendChild(mark);
        seg[5].forEach(function (n) {
          abstract.appendChild(el("a", {cls: "ref " + fieldClass(p.items[n][0]), href: "#" + anchor + "n" + (n + 1), text: String(n + 1)}));
        });
        at = seg[1];
      });
      if (at < p.abstract.length) abstract.appendChild(document.createTextNode(p.abstract.slice(at)));
    }
    var notes = el("ol", {cls: "notes"});
    p.items.forEach(function (it, n) {
      if (isScalar(it[0]) && it[3] === null && !it[6]) return;  // no quote: a labelled value only
      var f = it[0], li = el("li", {id: anchor + "n" + (n + 1), value: String(n + 1)});
      li.appendChild(el("span", {cls: "tag " + fieldClass(f), text: SINGULAR[f]}));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("b", {text: f === 4 ? written(it) : canon(it)}));
      var extra = [];
      if (f !== 4 && it[2] !== null) extra.push("(as written: " + it[2] + ")");
      if (f === 3 && it[5]) {
        if (it[5][0]) extra.push("= " + it[5][0] + (it[5][1] !== null ? " [" + it[5][1] + (it[5][2] ? " " + it[5][2] : "") + ", " + it[5][3] + "]" : ""));
        if (it[5][4] !== null) extra.push("on " + names[it[5][4]]);
        if (it[5][5]) extra.push("\u00b7 for " + it[5][5]);
      }
      if (f === 1 && it[5] && it[5][0]) extra.push("\u00b7 proposed here");
      if (f === 1 && it[5] && it[5][1]) extra.push("\u00b7 " + it[5][1]);
      if (f === 2 && it[5]) extra.push("\u00b7 role: " + it[5]);
      if (f === 4) extra.push("\u00b7 " + canon(it));
      li.appendChild(document.createTextNode(" " + extra.join(" ") + " "));
      if (it[3] !== null && p.abstract !== null) li.appendChild(el("a", {href: "#" + anchor + "i" + (n + 1), text: "in abstract"}));
      else if (it[6]) li.appendChild(el("span", null, [el("q", {text: it[6]}), " ", el("span", {cls: "error", text: "(not found in abstract)"})]));
      notes.appendChild(li);
    });
    article.appendChild(el("div", {cls: "paper-body"}, [abstract, notes]));
    host.appendChild(article);
    host.hidden = false;
    if (article.scrollIntoView) article.scrollIntoView();
  }

  // --- leaderboard, comparison, failed -----------------------------------------------------
  var BOARDS_PAGE = 100, boardLimit = BOARDS_PAGE;
  function renderBoards() {
    var host = byId("boards"), query = byId("board-search").value.toLowerCase();
    clear(host);
    var shown = 0, matching = 0;
    S.boards.forEach(function (b) {
      // b = [dataset, metric, direction, note, entries]; entry = [pos, method, source, value, number, unit, kind, rank]
      var label = (b[0] === null ? "unspecified" : b[0]) + " \u00b7 " + b[1];
      if (query && label.toLowerCase().indexOf(query) < 0) return;
      matching += 1;
      if (shown >= boardLimit) return;  // drawn a page at a time: a large run has thousands
      shown += 1;
      var box = el("div", {cls: "board"});
      host.appendChild(el("h3", null, [label + " ", el("span", {cls: "muted", text: "(" + b[3] + ")"})]));
      host.appendChild(box);
      new Grid(box, [
        {label: "Rank", num: true, key: function (e) { return e[7]; }, cell: function (e) { return e[7] === null ? "" : String(e[7]); }},
        {label: "Paper", key: function (e) { return e[0] < papers.length ? P(e[0]).title.toLowerCase() : ""; }, cell: function (e) { return paperLink(e[0]); }},
        {label: "Method", key: function (e) { return (e[1] || "").toLowerCase(); }, cell: function (e) { return (e[1] || "") + (e[1] && e[2] === "proposed" ? " (paper's own)" : ""); }},
        {label: "Value", key: function (e) { return e[3]; }, cell: function (e) { return e[3]; }},
        {label: "Number", num: true, key: function (e) { return e[4]; }, cell: function (e) { return e[4] === null ? "" : String(e[4]) + (e[5] ? " " + e[5] : ""); }},
        {label: "Kind", key: function (e) { return e[6] || ""; }, cell: function (e) { return e[6] || ""; }}
      ], b[4]);
    });
    byId("boards-shown").textContent = shown + " of " + matching + " boards" +
      (matching < S.boards.length ? " (" + S.boards.length + " in all)" : "");
    if (shown < matching) {
      var more = el("button", {type: "button", text: "show " + Math.min(BOARDS_PAGE, matching - shown) + " more"});
      more.addEventListener("click", function () { boardLimit += BOARDS_PAGE; renderBoards(); });
      host.appendChild(more);
    }
  }
  function renderGroups() {
    var host = byId("groups");
    ["datasets", "metrics", "methods", "tasks"].concat(USER.map(function (u) { return u[0]; })).forEach(function (f) {
      var G = S.groups[f], cls = "tag " + fieldClass(FIELDS.indexOf(f));
      host.appendChild(el("h3", {text: label(f)}));
      if (!G.shared.length) host.appendChild(el("p", {cls: "muted", text: "No value is shared by two papers."}));
      else {
        var box = el("div");
        host.appendChild(box);
        // g = [canonical index, [paper positions], [variants], [[pos, value, dataset]]]
        var cols = [
          {label: "Value", key: function (g) { return names[g[0]].toLowerCase(); }, cell: function (g) { return el("span", {cls: cls, text: names[g[0]]}); }},
          {label: "Papers", num: true, key: function (g) { return g[1].length; }, cell: function (g) { return String(g[1].length); }},
          {label: "Which", key: function (g) { return g[1][0]; }, cell: function (g) {
            var span = el("span");
            g[1].slice(0, 12).forEach(function (pos, k) { if (k) span.appendChild(document.createTextNode("; ")); span.appendChild(paperLink(pos)); });
            if (g[1].length > 12) span.appendChild(document.createTextNode(" (+" + (g[1].length - 12) + " more)"));
            return span;
          }},
          {label: "Written as", key: function (g) { return g[2].join("; ").toLowerCase(); }, cell: function (g) { return g[2].join("; "); }}
        ];
        if (f === "metrics") cols.push({label: "Values", key: function (g) { return g[3].length; }, cell: function (g) {
          var span = el("span");
          g[3].slice(0, 12).forEach(function (v, k) {
            if (k) span.appendChild(el("br"));
            span.appendChild(paperLink(v[0], short(v[0] < papers.length ? P(v[0]).title : "?", 40)));
            span.appendChild(document.createTextNode(": " + v[1] + (v[2] ? " on " + v[2] : "")));
          });
          return span;
        }});
        new Grid(box, cols, G.shared);
      }
      if (G.single_count) {
        var p = el("p");
        G.single.forEach(function (g, k) {
          if (k) p.appendChild(document.createTextNode(", "));
          p.appendChild(document.createTextNode(names[g[0]] + " ("));
          p.appendChild(paperLink(g[1], short(g[1] < papers.length ? P(g[1]).title : "?", 30)));
          p.appendChild(document.createTextNode(")"));
        });
        if (G.single_count > G.single.length) p.appendChild(document.createTextNode(" \u2026 and " + (G.single_count - G.single.length) + " more"));
        host.appendChild(el("details", null, [el("summary", {text: G.single_count + " values in one paper only"}), p]));
      }
    });
  }
  function renderFailed() {
    var host = byId("failed");
    if (!S.failed.length) { host.appendChild(el("p", {cls: "muted", text: "No paper failed."})); return; }
    // f = [id, title, stage, error type, reason]
    new Grid(host, [
      {label: "Id", key: function (f) { return f[0] || ""; }, cell: function (f) { return f[0] || ""; }},
      {label: "Title", key: function (f) { return (f[1] || "").toLowerCase(); }, cell: function (f) { return f[1] || ""; }},
      {label: "Stage", key: function (f) { return f[2]; }, cell: function (f) { return f[2]; }},
      {label: "Error", key: function (f) { return f[3]; }, cell: function (f) { return f[3]; }},
      {label: "Reason", key: function (f) { return f[4]; }, cell: function (f) { return f[4]; }}
    ], S.failed);
  }

  // --- wiring ------------------------------------------------------------------------------
  var drawn = {};
  function showTab(name) {
    if (!drawn[name]) {  // views other than the papers are drawn when first opened
      drawn[name] = true;
      if (name === "leaderboard") renderBoards();
      if (name === "comparison") renderGroups();
      if (name === "failed") renderFailed();
    }
    ["papers", "leaderboard", "comparison", "failed"].forEach(function (t) {
      byId("view-" + t).hidden = t !== name;
      byId("tab-" + t).setAttribute("aria-selected", t === name ? "true" : "false");
    });
  }
  ["papers", "leaderboard", "comparison", "failed"].forEach(function (t) {
    byId("tab-" + t).addEventListener("click", function () { showTab(t); });
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.classList && target.classList.contains("pref")) {
      event.preventDefault();
      showTab("papers");
      showPaper(Number(target.getAttribute("data-pos")));
    }
  });
  var controls = byId("filters");
  var filtered = ["tasks", "methods", "datasets", "metrics"];
  USER.forEach(function (u) { if (u[2]) filtered.push(u[0]); });
  filtered.forEach(function (f, k) {
    var select = el("select", {id: "filter-" + f, "aria-label": "Filter by " + f.replace(/_/g, " ")});
    select.appendChild(el("option", {value: "", text: k < 4 ? "any " + f.slice(0, -1) : label(f) + ": any"}));
    S.filters[f].forEach(function (pair) {
      select.appendChild(el("option", {value: String(pair[0]), text: names[pair[0]] + " (" + pair[1] + ")"}));
    });
    select.addEventListener("change", function () { filters[f] = select.value; refresh(); });
    controls.appendChild(select);
  });
  grid = new Grid(byId("papers-table"), paperColumns, [], {paged: true, id: "papers"});
  byId("search").addEventListener("input", refresh);
  byId("board-search").addEventListener("input", function () { boardLimit = BOARDS_PAGE; renderBoards(); });
  var tabs = document.querySelector("nav.tabs");
  Array.prototype.forEach.call(document.querySelectorAll("p.left-out"), function (note) {
    tabs.parentNode.insertBefore(note, tabs);  // written last (the file streams), shown on top
  });
  refresh();
  drawn.papers = true;
  byId("tab-leaderboard").textContent = "Leaderboard (" + S.boards.length + ")";
  byId("tab-failed").textContent = "Failed (" + S.failed_total + ")";
  document.body.setAttribute("data-ready", "1");
})();
