/* /find/: search box, facets with counts, results as cards; the state lives in the URL. */
(function () {
  "use strict";
  var page = document.querySelector(".atlas-finder");
  if (!page) return;
  var form = page.querySelector("form");
  var results = document.getElementById("results");
  var summary = document.getElementById("atlas-summary");
  var empty = page.querySelector(".atlas-empty");
  var root = page.dataset.root;
  var FACETS = ["category", "street", "stage", "five", "fee", "holiday"];
  var FEES = { free: "免费", paid: "收费", partly_free: "部分免费" };
  var labels = {}, hoursReady, run = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function state() {
    var s = { q: form.q.value.trim(), open: form.open.checked, accessible: form.accessible.checked };
    FACETS.forEach(function (f) { s[f] = form[f].value; });
    return s;
  }

  function fromUrl() {
    var p = new URLSearchParams(location.search);
    form.q.value = p.get("q") || "";
    FACETS.forEach(function (f) { form[f].value = p.get(f) || ""; });
    form.open.checked = p.get("open") === "1";
    form.accessible.checked = p.get("accessible") === "1";
  }

  function toUrl(s) {
    var p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    FACETS.forEach(function (f) { if (s[f]) p.set(f, s[f]); });
    if (s.open) p.set("open", "1");
    if (s.accessible) p.set("accessible", "1");
    var query = p.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  function value(card, facet) {
    return { category: [card.c], street: [card.s], stage: card.st, five: card.fe, fee: [card.f], holiday: card.h }[facet];
  }

  function passes(card, s, skip) {
    for (var i = 0; i < FACETS.length; i++) {
      var f = FACETS[i];
      if (f !== skip && s[f] && value(card, f).indexOf(s[f]) < 0) return false;
    }
    if (s.accessible && card.ac !== "yes") return false;
    if (s.open && !openNow(card)) return false;
    return true;
  }

  function openNow(card) {
    if (!card.oh || !window.opening_hours) return false;
    try { return new window.opening_hours(card.oh, { lat: 29.5, lon: 106.5, address: { country_code: "cn", state: "重庆市" } }).getState(new Date()); }
    catch (e) { return false; }
  }

  function loadHours() {
    if (hoursReady) return hoursReady;
    hoursReady = new Promise(function (resolve) {
      var script = document.createElement("script");
      script.src = root + "assets/vendor/opening_hours.js";
      script.onload = resolve;
      script.onerror = resolve;
      document.head.appendChild(script);
    });
    return hoursReady;
  }

  function counts(found, s) {
    FACETS.forEach(function (f) {
      var tally = {};
      found.forEach(function (card) { if (passes(card, s, f)) value(card, f).forEach(function (v) { tally[v] = (tally[v] || 0) + 1; }); });
      Array.prototype.forEach.call(form[f].options, function (option) {
        if (!option.value) return;
        if (!labels[f + option.value]) labels[f + option.value] = option.textContent;
        option.textContent = labels[f + option.value] + "（" + (tally[option.value] || 0) + "）";
      });
    });
  }

  function card(c) {
    var item = el("li", "atlas-card-item");
    item.dataset.resourceId = c.id;
    var link = el("a", "atlas-card-name", c.n);
    link.href = root + "r/" + encodeURIComponent(c.id) + "/";
    item.appendChild(link);
    var category = form.category.querySelector('option[value="' + c.c + '"]');
    item.appendChild(el("span", "atlas-card-meta", (labels["category" + c.c] || (category && category.textContent) || c.c) + " · " + c.s + (c.f ? " · " + FEES[c.f] : "")));
    item.appendChild(el("span", "atlas-card-address", c.a));
    var actions = el("span", "atlas-card-actions");
    var call = el("a", "atlas-button", c.t ? "拨打电话" : "拨打 12345 咨询");
    call.href = c.t || "tel:12345";
    actions.appendChild(call);
    var nav = el("a", "atlas-button", "导航");
    nav.href = c.nav;
    nav.rel = "noopener";
    actions.appendChild(nav);
    item.appendChild(actions);
    return item;
  }

  function show(push) {
    var s = state();
    if (push) history.pushState(null, "", toUrl(s));
    var mine = ++run;
    results.setAttribute("aria-busy", "true");
    var ready = s.open ? loadHours() : Promise.resolve();
    ready.then(function () { return window.atlasSearch.search(s.q); }).then(function (found) {
      if (mine !== run) return;
      var shown = found.filter(function (c) { return passes(c, s); });
      counts(found, s);
      results.textContent = "";
      shown.slice(0, 200).forEach(function (c) { results.appendChild(card(c)); });
      summary.textContent = (s.q ? "“" + s.q + "”：" : "") + "找到 " + shown.length + " 处" + (shown.length > 200 ? "，显示前 200 处" : "");
      empty.hidden = shown.length > 0;
      results.setAttribute("aria-busy", "false");
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); show(true); });
  form.addEventListener("change", function (event) { if (event.target !== form.q) show(true); });
  window.addEventListener("popstate", function () { fromUrl(); show(false); });
  fromUrl();
  show(false);
})();
