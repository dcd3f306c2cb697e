/* 九龙坡区协同育人资源图谱: small progressive enhancements. Every page works without it. */
// WGS-84 -> GCJ-02/BD-09 for the phone's position (the same formulas as atlas/coords.py), and
// the one distance (great circle) and distance label every page uses: map, holiday, finder.
window.atlasCoords = (function () {
  var A = 6378245.0, EE = 0.00669342162296594323, PI = Math.PI;
  function delta(lat, lon) {
    var x = lon - 105.0, y = lat - 35.0;
    var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    dLat += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    dLat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    dLat += (160.0 * Math.sin(y / 12.0 * PI) + 320 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    dLon += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    dLon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    dLon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var rad = lat / 180.0 * PI, magic = 1 - EE * Math.pow(Math.sin(rad), 2), sqrtMagic = Math.sqrt(magic);
    return [(dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI), (dLon * 180.0) / (A / sqrtMagic * Math.cos(rad) * PI)];
  }
  function toGcj02(lat, lon) {
    if (!(lat >= 0.8293 && lat <= 55.8271 && lon >= 72.004 && lon <= 137.8347)) return [lat, lon];
    var d = delta(lat, lon);
    return [lat + d[0], lon + d[1]];
  }
  function toBd09(lat, lon) {
    var g = toGcj02(lat, lon), x = g[1], y = g[0], k = PI * 3000.0 / 180.0;
    var z = Math.sqrt(x * x + y * y) + 0.00002 * Math.sin(y * k), theta = Math.atan2(y, x) + 0.000003 * Math.cos(x * k);
    return [z * Math.sin(theta) + 0.006, z * Math.cos(theta) + 0.0065];
  }
  function fromWgs84(lat, lon, datum) {
    return datum === "gcj02" ? toGcj02(lat, lon) : datum === "bd09" ? toBd09(lat, lon) : [lat, lon];
  }
  function distance(a, b) {
    var r = PI / 180, dLat = (b[0] - a[0]) * r, dLon = (b[1] - a[1]) * r;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * r) * Math.cos(b[0] * r) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742017.6 * Math.asin(Math.sqrt(h));
  }
  function label(metres) { return metres < 1000 ? Math.round(metres) + " 米" : (metres / 1000).toFixed(1) + " 公里"; }
  // The 高德 link of atlas/links.py navigation() for a WGS-84 point, flagged as such.
  function amap(lat, lon, name) {
    return "https://uri.amap.com/marker?position=" + lon.toFixed(6) + "," + lat.toFixed(6) + "&name=" + encodeURIComponent(name) + "&coordinate=wgs84&callnative=1";
  }
  return { fromWgs84: fromWgs84, distance: distance, label: label, amap: amap };
})();

(function () {
  "use strict";
  var DAY = 86400000;
  var base = (document.currentScript && document.currentScript.src.replace(/assets\/atlas\.js.*$/, "")) || "/";

  function today() { var d = new Date(); return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()); }
  function ageInDays(iso) { var p = iso.split("-"); return (today() - Date.UTC(+p[0], p[1] - 1, +p[2])) / DAY; }

  // 信息待核实: judged against today's date in the browser, so a static build never goes stale.
  function freshness() {
    document.querySelectorAll(".atlas-unverified[data-verified]").forEach(function (el) {
      if (ageInDays(el.dataset.verified) > +el.dataset.staleDays) el.hidden = false;
    });
    var page = document.querySelector(".atlas-freshness-page");
    if (!page) return;
    var limit = +page.dataset.staleDays;
    page.querySelectorAll(".atlas-stale-count[data-dates]").forEach(function (cell) {
      var dates = cell.dataset.dates.split(" ").filter(Boolean);
      cell.textContent = String(dates.filter(function (d) { return ageInDays(d) > limit; }).length);
    });
  }

  function copyText(text, button, done) {
    var ok = function () { var old = button.textContent; button.textContent = done; setTimeout(function () { button.textContent = old; }, 2000); };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(ok, function () {});
  }

  function buttons() {
    document.querySelectorAll(".atlas-copy[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        copyText(document.getElementById(button.dataset.copyTarget).textContent, button, "已复制");
      });
    });
    document.querySelectorAll(".atlas-share").forEach(function (button) {
      button.addEventListener("click", function () {
        var data = { title: button.dataset.title, url: location.href };
        if (navigator.share) navigator.share(data).catch(function () {});
        else copyText(location.href, button, "链接已复制");
      });
    });
  }

  // Open now / opens at: a lookup in the page's hours table (atlas-hours.js).
  function openStatus() {
    document.querySelectorAll(".atlas-open-status[data-hours]").forEach(function (slot) {
      var s = window.atlasHours.status(slot.dataset.hours);
      if (!s) return;
      slot.classList.add(s.open ? "is-open" : "is-closed");
      slot.textContent = window.atlasHours.say(slot.dataset.hours);
    });
  }

  // 离我最近: by distance from the phone's position (never sent anywhere). A small holiday
  // page sorts its own cards; a split one (button[data-sites]) fetches every site's point on
  // the first tap and lists the nearest, PAGE at a time.
  var PAGE = 20;

  function nearest() {
    var button = document.querySelector(".atlas-nearest");
    if (!button) return;
    var status = document.querySelector(".atlas-nearest-status");
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = "此浏览器不能获取位置"; return; }
      status.textContent = "正在获取位置…";
      var sites = button.dataset.sites ? fetch(button.dataset.sites).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }) : null;
      if (sites) sites.catch(function () {});  // handled below; the position may never come
      navigator.geolocation.getCurrentPosition(function (pos) {
        var here = [pos.coords.latitude, pos.coords.longitude];
        if (!sites) { sortCards(here, status); return; }
        status.textContent = "正在计算距离…";
        sites.then(function (data) { listNearest(data, here, button.dataset.street || "", status); },
                   function () { status.textContent = "没有取到托管点列表，请稍后再试"; });
      }, function () { status.textContent = "没有获得位置权限"; }, { timeout: 10000, maximumAge: 60000 });
    });
  }

  function showDistance(label, metres) {
    label.hidden = false;
    label.textContent = window.atlasCoords.label(metres);
  }

  function sortCards(here, status) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".atlas-card-item[data-lat]"));
    items.forEach(function (li) {
      li.distance = window.atlasCoords.distance(here, [+li.dataset.lat, +li.dataset.lon]);
      showDistance(li.querySelector(".atlas-distance"), li.distance);
    });
    items.sort(function (a, b) { return a.distance - b.distance; });
    var list = document.createElement("ul");
    list.className = "atlas-cards atlas-nearest-list";
    items.forEach(function (li) { list.appendChild(li); });
    var root = document.querySelector(".atlas-browse");
    root.querySelectorAll("h2, ul.atlas-cards").forEach(function (el) { if (!el.querySelector("li")) el.remove(); else if (el.tagName === "H2") el.remove(); });
    root.appendChild(list);
    status.textContent = "已按距离排序（没有坐标的地点未列出）";
  }

  // sites.json rows: [id, name, street index, 1 if a 公益假期托管点, holiday services, lat, lon]
  // in WGS-84. Every text goes in through textContent, never as HTML.
  function listNearest(data, here, street, status) {
    var rows = data.sites.filter(function (row) { return !street || data.streets[row[2]] === street; });
    rows.forEach(function (row) { row.distance = window.atlasCoords.distance(here, [row[5], row[6]]); });
    rows.sort(function (a, b) { return a.distance - b.distance; });
    var list = document.querySelector(".atlas-nearest-list");
    var more = document.querySelector(".atlas-nearest-more");
    var shown = 0;
    list.textContent = "";
    list.hidden = false;
    function page() {
      rows.slice(shown, shown + PAGE).forEach(function (row) { list.appendChild(siteCard(row, data.streets)); });
      shown = Math.min(rows.length, shown + PAGE);
      more.hidden = shown >= rows.length;
      status.textContent = "离你最近的 " + shown + " 处（共 " + rows.length + " 处有坐标）";
    }
    more.onclick = page;
    page();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function siteCard(row, streets) {
    var li = el("li", "atlas-card-item");
    li.dataset.resourceId = row[0];
    var name = el("a", "atlas-card-name", row[1]);
    name.href = base + "r/" + encodeURIComponent(row[0]) + "/";
    li.appendChild(name);
    li.appendChild(el("span", "atlas-card-meta", [row[3] ? "公益假期托管点" : "假期服务场馆", streets[row[2]]].join(" · ")));
    if (row[4]) li.appendChild(el("span", "atlas-card-extra", row[4]));
    var actions = el("span", "atlas-card-actions");
    var nav = el("a", "atlas-button", "导航");
    nav.href = window.atlasCoords.amap(row[5], row[6], row[1]); // the same 高德 link as the cards
    nav.rel = "noopener";
    actions.appendChild(nav);
    var label = el("span", "atlas-distance");
    showDistance(label, row.distance);
    actions.appendChild(label);
    li.appendChild(actions);
    return li;
  }

  freshness();
  buttons();
  nearest();
  if (document.readyState === "complete") openStatus();
  else window.addEventListener("load", openStatus);
})();

/* /map/: Leaflet and the map's own scripts load once the page has painted, so a slow phone
   shows the filters and notes at once instead of after ~200 KB of map code has run. */
(function () {
  "use strict";
  var page = document.querySelector(".atlas-map-page[data-scripts]");
  if (!page) return;
  function load() {
    page.dataset.styles.split(" ").forEach(function (href) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = href;
      document.head.appendChild(css);
    });
    page.dataset.scripts.split(" ").forEach(function (src) {
      var js = document.createElement("script");
      js.src = src;
      js.async = false;  // in order: Leaflet, its cluster plugin, the folium map, atlas-map.js
      document.body.appendChild(js);
    });
  }
  function afterPaint() { requestAnimationFrame(function () { setTimeout(load, 0); }); }
  if (document.readyState === "complete") afterPaint();
  else window.addEventListener("load", afterPaint);
})();

/* Mini-map on resource pages: nothing map-related loads until the map scrolls into view. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".atlas-minimap[data-basemap]");
  if (!boxes.length || !("IntersectionObserver" in window)) return;
  var base = document.currentScript.src.replace(/assets\/atlas\.js.*$/, "");
  var leaflet;

  function loadLeaflet() {
    if (leaflet) return leaflet;
    leaflet = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "assets/vendor/leaflet/leaflet.css";
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = base + "assets/vendor/leaflet/leaflet.js";
      js.onload = resolve;
      js.onerror = reject;
      document.head.appendChild(js);
    });
    return leaflet;
  }

  function draw(box) {
    var tiles = JSON.parse(box.dataset.basemap);
    var point = [+box.dataset.lat, +box.dataset.lon];
    box.textContent = "";
    var map = L.map(box, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false }).setView(point, 16);
    var options = { attribution: tiles.attribution, maxZoom: tiles.maxZoom };
    if (tiles.subdomains) options.subdomains = tiles.subdomains;
    L.tileLayer(tiles.url, options).addTo(map);
    if (tiles.overlay) L.tileLayer(tiles.overlay, options).addTo(map);
    var pin = document.createElement("span");
    pin.className = "atlas-pin";
    L.marker(point, { icon: L.divIcon({ className: "atlas-pin-icon", html: pin.outerHTML, iconSize: [18, 18], iconAnchor: [9, 9] }), title: box.dataset.name }).addTo(map);
    box.dataset.ready = "true";
  }

  var observer = new IntersectionObserver(function (seen) {
    seen.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      loadLeaflet().then(function () { draw(entry.target); });
    });
  }, { rootMargin: "200px" });
  boxes.forEach(function (box) { observer.observe(box); });
})();
