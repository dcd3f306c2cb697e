/* Resource search in the browser: loads the manifest, the index shards a query needs and
   the result cards, and answers as atlas/search.py does (see atlas-search-core.js). */
(function () {
  "use strict";
  var core = window.atlasSearchCore;
  var base = (document.currentScript && document.currentScript.src.replace(/assets\/atlas-search\.js.*$/, "")) || "/";
  var manifest, indexes = {}, cardShards = {}, cards = {};

  function json(path) { return fetch(base + "search/" + path).then(function (r) { return r.json(); }); }

  function load() {
    if (!manifest) manifest = json("manifest.json");
    return manifest;
  }

  function index(shard) {
    if (!indexes[shard]) indexes[shard] = json("index-" + shard + ".json").then(function (data) { return data && lunr.Index.load(data); });
    return indexes[shard];
  }

  function cardShard(shard) {
    if (!cardShards[shard]) {
      cardShards[shard] = json("cards-" + shard + ".json").then(function (byRef) {
        for (var ref in byRef) cards[ref] = byRef[ref];
      });
    }
    return cardShards[shard];
  }

  function allCards(m) {
    var wanted = [];
    for (var s = 0; s < m.shards; s++) wanted.push(cardShard(s));
    return Promise.all(wanted).then(function () {
      return Object.keys(cards).sort(function (a, b) { return a - b; }).map(function (ref) { return cards[ref]; });
    });
  }

  // Resolves to the matching cards in rank order; an empty query lists every resource.
  function search(text) {
    return load().then(function (m) {
      var terms = core.queryTerms(text, m.stop);
      if (!terms.length) return allCards(m);
      var shards = {};
      terms.forEach(function (t) { (shards[core.tokenShard(t.term, m.shards)] = shards[core.tokenShard(t.term, m.shards)] || []).push(t); });
      return Promise.all(Object.keys(shards).map(function (s) {
        return index(s).then(function (idx) { return core.queryIndex(lunr, idx, shards[s]); });
      })).then(function (parts) {
        var scores = core.combine(terms, parts);
        var refs = Object.keys(scores);
        var needed = {};
        refs.forEach(function (ref) { needed[core.cardShard(ref, m.shards)] = true; });
        return Promise.all(Object.keys(needed).map(cardShard)).then(function () {
          return core.rank(scores, cards, text).map(function (ref) { return cards[ref]; });
        });
      });
    });
  }

  window.atlasSearch = { load: load, search: search, base: base };
})();
