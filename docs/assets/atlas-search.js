/* Resource search in the browser: the manifest, the index shards a query needs, facets and
   the cards of what is shown; answers as atlas/search.py does (see atlas-search-core.js). */
(function () {
  "use strict";
  var core = window.atlasSearchCore;
  var base = (document.currentScript && document.currentScript.src.replace(/assets\/atlas-search\.js.*$/, "")) || "/";
  var manifest, facets, indexes = {}, cardShards = {}, cards = {};

  function json(path) { return fetch(base + "search/" + path).then(function (r) { return r.json(); }); }

  function load() {
    if (!manifest) manifest = json("manifest.json");
    return manifest;
  }

  // lunr.js only once a query reaches an index, fetched beside the shard: opening /find/
  // without a query, or a query no index answers, never downloads it.
  function needLunr() {
    return window.lunr ? Promise.resolve() : window.atlasScript(base + "assets/vendor/lunr.min.js");
  }

  function index(shard) {
    if (!indexes[shard]) {
      indexes[shard] = Promise.all([json("index-" + shard + ".json"), needLunr()]).then(function (got) {
        io.lunr = window.lunr;
        return got[0] && lunr.Index.load(got[0]);
      }, function (error) { delete indexes[shard]; throw error; });  // on flaky data the next query tries again
    }
    return indexes[shard];
  }

  var files = {};
  var io = {
    lunr: window.lunr,  // set once loaded (index)
    manifest: load,
    index: index,
    json: function (path) { if (!files[path]) files[path] = json(path); return files[path]; },
  };

  // Refs in rank order, with .partial when none matches everything typed (the page says so);
  // an empty query lists every resource in id order.
  function search(text) {
    return load().then(function (m) {
      if (!core.queryTerms(text, m.stop, m.variants).length) return Array.from({ length: m.count }, function (_, i) { return String(i); });
      return core.search(text, io).then(function (got) {
        var refs = got.refs.slice();
        refs.partial = got.partial;
        return refs;
      });
    });
  }

  // The cards of ``refs`` (only their shards are fetched).
  function withCards(refs) {
    return load().then(function (m) {
      var needed = {};
      refs.forEach(function (ref) { needed[core.cardShard(ref, m.cardShards)] = true; });
      return Promise.all(Object.keys(needed).map(function (shard) {
        if (!cardShards[shard]) {
          cardShards[shard] = json("cards-" + shard + ".json").then(function (byRef) { for (var ref in byRef) cards[ref] = byRef[ref]; });
        }
        return cardShards[shard];
      }));
    }).then(function () { return refs.map(function (ref) { return cards[ref]; }); });
  }

  function allFacets() {
    if (!facets) facets = json("facets.json");
    return facets;
  }

  window.atlasSearch = { load: load, search: search, cards: withCards, facets: allFacets, base: base };
})();
