/* /find/: search box, facets with counts, results as cards; the state lives in the URL.
   Facets come from facets.json (numbers per resource), cards only for what is shown. */
(function () {
  "use strict";
  var page = document.querySelector(".atlas-finder");
  if (!page) return;
  var form = page.querySelector("form");
  var results = document.getElementById("results");
  var summary = document.getElementById("atlas-summary");
  var empty = page.querySelector(".atlas-empty");
  var more = page.querySelector(".atlas-more");
  var root = page.dataset.root;
  var FEES = { free: "免费", paid: "收费", partly_free: "部分免费" };
  var PAGE = 20;
  var m, rows, labels = {}, run = 0, shown = [];

  // Each select filters one column of facets.json: [category, street, stages, 五育, fee, holidays, accessible, has hours].
  var FACETS = [
    { name: "category", column: 0, options: function () { return m.categories.map(function (c) { return c.code; }); } },
    { name: "street", column: 1, options: function () { return m.streets; } },
    { name: "stage", column: 2, mask: true, options: function () { return m.stages; } },
    { name: "five", column: 3, mask: true, options: function () { return m.five; } },
    { name: "fee", column: 4, options: function () { return m.fees; } },
    { name: "holiday", column: 5, mask: true, options: function () { return m.holiday; } },
  ];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function state() {
    var s = { q: form.q.value.trim(), open: form.open.checked, accessible: form.accessible.checked };
    FACETS.forEach(function (f) { s[f.name] = form[f.name].value; });
    return s;
  }

  function fromUrl() {
    var p = new URLSearchParams(location.search);
    form.q.value = p.get("q") || "";
    FACETS.forEach(function (f) { form[f.name].value = p.get(f.name) || ""; });
    form.open.checked = p.get("open") === "1";
    form.accessible.checked = p.get("accessible") === "1";
  }

  function toUrl(s) {
    var p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    FACETS.forEach(function (f) { if (s[f.name]) p.set(f.name, s[f.name]); });
    if (s.open) p.set("open", "1");
    if (s.accessible) p.set("accessible", "1");
    var query = p.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  function has(row, f, wanted) {
    var index = f.options().indexOf(wanted);
    return f.mask ? (row[f.column] & (1 << index)) !== 0 : row[f.column] === index;
  }

  function passes(ref, s, skip) {
    var row = rows[+ref];
    for (var i = 0; i < FACETS.length; i++) {
      var f = FACETS[i];
      if (f.name !== skip && s[f.name] && !has(row, f, s[f.name])) return false;
    }
    if (s.accessible && row[6] !== 1) return false;
    if (s.open && row[7] !== 1) return false;
    return true;
  }

  function counts(refs, s) {
    FACETS.forEach(function (f) {
      var tally = {};
      var options = f.options();
      refs.forEach(function (ref) {
        if (!passes(ref, s, f.name)) return;
        var value = rows[+ref][f.column];
        if (f.mask) options.forEach(function (o, i) { if (value & (1 << i)) tally[o] = (tally[o] || 0) + 1; });
        else tally[options[value]] = (tally[options[value]] || 0) + 1;
      });
      Array.prototype.forEach.call(form[f.name].options, function (option) {
        if (!option.value) return;
        if (!labels[f.name + option.value]) labels[f.name + option.value] = option.textContent;
        option.textContent = labels[f.name + option.value] + "（" + (tally[option.value] || 0) + "）";
      });
    });
  }

  // Open now: each candidate's card carries its hours table ("h"), looked up by atlas-hours.js.
  function openNow(card) {
    var s = window.atlasHours.status(card.h);
    return !!(s && s.open);
  }

  function card(c) {
    var item = el("li", "atlas-card-item");
    item.dataset.resourceId = c.id;
    var link = el("a", "atlas-card-name", c.n);
    link.href = root + "r/" + encodeURIComponent(c.id) + "/";
    item.appendChild(link);
    var category = m.categories.filter(function (k) { return k.code === c.c; })[0];
    item.appendChild(el("span", "atlas-card-meta", (category ? category.label : c.c) + " · " + c.s + (c.f ? " · " + FEES[c.f] : "")));
    item.appendChild(el("span", "atlas-card-address", c.a));
    var actions = el("span", "atlas-card-actions");
    var call = el("a", "atlas-button", c.t ? "拨打电话" : "拨打 12345 咨询");
    call.href = c.t || "tel:12345";
    actions.appendChild(call);
    var nav = el("a", "atlas-button", "导航");
    nav.href = c.nav;
    nav.rel = "noopener";
    actions.appendChild(nav);
    var add = el("button", "atlas-button", "加入路线");  // atlas.js handles [data-atlas-add-stop]
    add.type = "button";
    add.dataset.atlasAddStop = c.id;
    actions.appendChild(add);
    item.appendChild(actions);
    return item;
  }

  function append(count) {
    var next = shown.slice(results.children.length, results.children.length + count);
    return window.atlasSearch.cards(next).then(function (list) {
      list.forEach(function (c) { results.appendChild(card(c)); });
      more.hidden = results.children.length >= shown.length;
    });
  }

  function show(push) {
    var s = state();
    if (push) history.pushState(null, "", toUrl(s));
    var mine = ++run;
    results.setAttribute("aria-busy", "true");
    Promise.all([window.atlasSearch.search(s.q), window.atlasSearch.facets(), window.atlasSearch.load()]).then(function (got) {
      m = got[2];
      rows = got[1];
      var refs = got[0];
      var kept = refs.filter(function (ref) { return passes(ref, s); });
      if (!s.open) return [refs, kept];
      return window.atlasSearch.cards(kept).then(function (list) {
        return [refs, kept.filter(function (ref, i) { return openNow(list[i]); })];
      });
    }).then(function (got) {
      if (mine !== run) return;
      counts(got[0], s);
      shown = got[1];
      results.textContent = "";
      return append(PAGE).then(function () {
        if (mine !== run) return;
        summary.textContent = (s.q ? "“" + s.q + "”：" : "") + "找到 " + shown.length + " 处";
        empty.hidden = shown.length > 0;
        results.setAttribute("aria-busy", "false");
        page.classList.add("atlas-ready"); // the list no longer needs its reserved height
      });
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); show(true); });
  form.addEventListener("change", function (event) { if (event.target !== form.q) show(true); });
  more.addEventListener("click", function () { append(PAGE); });
  window.addEventListener("popstate", function () { fromUrl(); show(false); });
  fromUrl();
  show(false);
})();
