/* The header search box finds resources too. Nothing search-related loads until the box
   gets focus; then Material keeps finding pages and this adds the matching resources. */
(function () {
  "use strict";
  var input = document.querySelector(".md-search__input");
  if (!input) return;
  var base = document.currentScript.src.replace(/assets\/atlas-search-boot\.js.*$/, "");
  var loading, timer, panel;

  function script(src) { return window.atlasScript(base + src); }

  function load() {
    if (!loading) {
      loading = script("assets/atlas-search-core.js")  // atlas-search.js fetches lunr.js when a query needs it
        .then(function () { return script("assets/atlas-search.js"); });
    }
    return loading;
  }

  function finder(q) { return base + "find/?q=" + encodeURIComponent(q); }

  // Venues first, above Material's list of hand-written pages; each one a whole tappable row.
  function render(q, total, found, categories, partial) {
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "atlas-header-results";
      var wrap = document.querySelector(".md-search__scrollwrap");
      wrap.insertBefore(panel, wrap.firstChild);
    }
    panel.textContent = "";
    if (!q) return;
    var title = document.createElement("p");
    title.className = "atlas-header-title";
    title.dataset.q = q; // which text these results answer (typing is faster than searching)
    title.textContent = !total ? "没有找到相关场馆" : partial ? "没有完全匹配的结果，以下是部分匹配（" + total + "）" : "场馆与服务点（" + total + "）";
    panel.appendChild(title);
    var list = document.createElement("ol");
    found.forEach(function (c) {
      var item = document.createElement("li");
      item.dataset.resourceId = c.id;
      var link = document.createElement("a");
      link.href = base + "r/" + encodeURIComponent(c.id) + "/";
      var name = document.createElement("span");
      name.className = "atlas-header-name";
      name.textContent = c.n;
      var meta = document.createElement("span");
      meta.className = "atlas-header-meta";
      meta.textContent = (categories[c.c] || c.c) + " · " + c.s;
      link.appendChild(name);
      link.appendChild(meta);
      item.appendChild(link);
      list.appendChild(item);
    });
    panel.appendChild(list);
    var all = document.createElement("a");
    all.className = "atlas-header-all";
    all.href = finder(q);
    all.textContent = total ? "查看全部 " + total + " 处，按距离、名称排序或筛选 →" : "到“查找”页按类别、镇街筛选 →";
    panel.appendChild(all);
  }

  function update() {
    var q = input.value.trim();
    load().then(function () {
      return Promise.all([q ? window.atlasSearch.search(q) : [], window.atlasSearch.load()]);
    }).then(function (got) {
      var categories = {};
      got[1].categories.forEach(function (c) { categories[c.code] = c.label; });
      return window.atlasSearch.cards(got[0].slice(0, 5)).then(function (top) { return [got[0].length, top, categories, !!got[0].partial]; });
    }).then(function (got) {
      if (q === input.value.trim()) render(q, got[0], got[1], got[2], got[3]);
    });
  }

  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      update();
      // Material searches the pages on keyup only: text that came without a key (an IME's
      // commit, paste, voice input) would leave its "键入以开始搜索" under our results.
      input.dispatchEvent(new KeyboardEvent("keyup"));
    }, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && input.value.trim()) {
      event.preventDefault();
      event.stopPropagation();
      location.href = finder(input.value.trim());
    }
  }, true);
})();
