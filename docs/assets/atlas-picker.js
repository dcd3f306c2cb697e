/* /editors/picker/: tap to place a point or drag an existing resource's marker; shows the CSV
   cells (lat, lon, coord_system) in WGS-84 and in the basemap's datum. Everything is computed
   here: no point leaves the browser. Texts from the data and the URL go in through textContent. */
(function () {
  "use strict";
  var page = document.querySelector(".atlas-picker");
  if (!page) return;
  var config = JSON.parse(page.dataset.picker);
  var tiles = config.basemap, datum = tiles.datum;
  var coords = window.atlasCoords;
  var form = page.querySelector(".atlas-picker-form");
  var status = page.querySelector(".atlas-picker-status");
  var result = page.querySelector(".atlas-picker-result");
  var warning = page.querySelector(".atlas-picker-warning");
  var csvOut = page.querySelector(".atlas-picker-csv");
  var map, marker, cells = { csv: "", tsv: "" };

  function say(text) { status.textContent = text; }

  // The same rules as atlas/district.py: the district outline, and a point "clearly nearer"
  // another street/town's seat than the chosen one's.
  function inDistrict(point) {
    var ring = config.bounds, inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a[1] > point[1]) !== (b[1] > point[1]) && point[0] < a[0] + (point[1] - a[1]) * (b[0] - a[0]) / (b[1] - a[1])) inside = !inside;
    }
    return inside;
  }
  function otherStreet(point, street) {
    var nearest = null, own = null;
    config.seats.forEach(function (seat) {
      var metres = coords.distance(point, [seat[1], seat[2]]);
      if (!nearest || metres < nearest[1]) nearest = [seat[0], metres];
      if (seat[0] === street) own = metres;
    });
    return nearest[0] !== street && own > 2 * nearest[1] && own > 3000 ? nearest[0] : null;
  }

  function fixed(value) { return value.toFixed(6); }

  function show() {
    var shown = marker.getLatLng(), wgs = coords.toWgs84(shown.lat, shown.lng, datum);
    var rows = { "atlas-picker-wgs84": wgs, "atlas-picker-basemap": [shown.lat, shown.lng] };
    Object.keys(rows).forEach(function (name) {
      var row = page.querySelector("." + name);
      if (!row) return;
      row.querySelector(".atlas-lat").textContent = fixed(rows[name][0]);
      row.querySelector(".atlas-lon").textContent = fixed(rows[name][1]);
    });
    cells.csv = fixed(wgs[0]) + "," + fixed(wgs[1]) + ",wgs84";
    cells.tsv = cells.csv.replace(/,/g, "\t");
    csvOut.textContent = cells.csv;
    var street = form.street.value, problems = [];
    if (!inDistrict(wgs)) problems.push("这个点不在九龙坡区范围内，请核对位置。");
    else if (street) {
      var other = otherStreet(wgs, street);
      if (other) problems.push("这个点看起来在" + other + "，不在所选的" + street + "，请核对镇街或位置。");
    }
    warning.textContent = problems.join(" ");
    warning.hidden = !problems.length;
    result.hidden = false;
  }

  function pin() {
    var dot = document.createElement("span");
    dot.className = "atlas-pin atlas-picker-pin";
    return L.divIcon({ className: "atlas-pin-icon", html: dot.outerHTML, iconSize: [28, 28], iconAnchor: [14, 14] });
  }

  function place(latlng, title) {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, autoPan: true, icon: pin(), title: "拖动标记到准确位置", alt: "拾取的位置" }).addTo(map);
      marker.on("drag dragend", show);
    } else {
      marker.setLatLng(latlng);
    }
    if (title) marker.options.title = title;
    show();
  }

  function findResource(id) {
    say("正在查找编号 " + id + " …");
    return fetch(page.dataset.root + "map/markers.json").then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      var row = data.markers.filter(function (r) { return r[0] === id; })[0];
      if (!row) {
        say("没有找到编号为“" + id + "”的资源的坐标：编号可能有误，或这个资源还没有坐标。可以直接在地图上点一下放置标记。");
        return;
      }
      form.street.value = data.streets[row[3]];
      map.setView([row[5], row[6]], 17);
      place(L.latLng(row[5], row[6]), row[1]);
      say("正在调整：" + row[1] + "（" + id + "）。拖动标记到准确位置，下方的坐标会跟着变。");
    }).catch(function () {
      say("无法读取资源坐标（map/markers.json），请刷新重试；也可以直接在地图上点一下放置标记。");
    });
  }

  function copy(text) {
    function done() { say("已复制：" + text.replace(/\t/g, " ")); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else fallback();
    function fallback() {
      var box = document.createElement("textarea");
      box.value = text;
      box.setAttribute("readonly", "");
      box.style.position = "fixed";
      box.style.opacity = "0";
      document.body.appendChild(box);
      box.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
      box.remove();
      if (ok) done(); else say("浏览器不允许自动复制，请长按上面的文字手动复制：" + text);
    }
  }

  function start() {
    var center = coords.fromWgs84(config.center[0], config.center[1], datum);
    map = L.map(page.querySelector(".atlas-picker-map"), { tap: false }).setView(center, 11);
    var options = { attribution: tiles.attribution, maxZoom: tiles.maxZoom };
    if (tiles.subdomains) options.subdomains = tiles.subdomains;
    L.tileLayer(tiles.url, options).addTo(map);
    if (tiles.overlay) L.tileLayer(tiles.overlay, options).addTo(map);
    map.on("click", function (event) {
      place(event.latlng);
      say("已放置标记：可以拖动它微调，或在别处再点一下；要粘贴的坐标在地图下方。");
    });
    function ready() { page.dataset.ready = "true"; }  // tests wait for it: the map is drawn and a shared ?id= is answered
    var params = new URLSearchParams(location.search), id = params.get("id");
    if (Array.prototype.some.call(form.street.options, function (o) { return o.value && o.value === params.get("street"); })) form.street.value = params.get("street");
    if (id) {
      form.id.value = id;
      findResource(id.trim()).then(ready);
    } else {
      say("在地图上点一下放置标记。");
      ready();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var id = form.id.value.trim();
    if (!id) { say("请输入资源编号，如 jlp-library。"); return; }
    history.replaceState(null, "", "?id=" + encodeURIComponent(id));
    if (map) findResource(id);
  });
  form.street.addEventListener("change", function () { if (marker) show(); });
  page.querySelectorAll(".atlas-picker-copy").forEach(function (button) {
    button.addEventListener("click", function () { copy(cells[button.dataset.format]); });
  });

  start();  // atlas.js loads Leaflet, then this file (data-scripts), once the page has painted
})();
