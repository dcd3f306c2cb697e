/* Resource search, query side: the mirror of atlas/search.py (query_terms, rank, shards).
   Runs in the browser (window.atlasSearchCore) and in Node for the tests (module.exports). */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.atlasSearchCore = factory();
})(this, function () {
  "use strict";
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var ASCII = /[a-z0-9]+/g;

  function normalise(text) { return text.normalize("NFKC").toLowerCase(); }

  function queryTerms(text, stop) {
    var q = normalise(text), terms = [];
    (q.match(CJK) || []).forEach(function (run) {
      var chars = Array.from(run);
      if (chars.length === 1) terms.push({ term: run, wildcard: false, edit: 0, boost: 1, unit: run });
      for (var i = 0; i + 1 < chars.length; i++) {
        var gram = chars[i] + chars[i + 1];
        terms.push({ term: gram, wildcard: false, edit: 0, boost: 1, unit: gram });
      }
    });
    (q.match(ASCII) || []).forEach(function (word) {
      terms.push({ term: word, wildcard: true, edit: 0, boost: 1, unit: word });
      if (word.length >= 5) terms.push({ term: word, wildcard: false, edit: 1, boost: 0.5, unit: word });
    });
    var kept = terms.filter(function (t) { return !stop || stop.indexOf(t.term) < 0; });
    return kept.length ? kept : terms;
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h >>> 0;
  }

  function tokenShard(token, shards) { return shards > 1 ? fnv1a(Array.from(token)[0]) % shards : 0; }
  function cardShard(id, shards) { return shards > 1 ? fnv1a(id) % shards : 0; }

  function queryIndex(lunr, index, terms) {
    if (!index || !terms.length) return {}; // an empty shard is published as null
    var results = index.query(function (q) {
      terms.forEach(function (t) {
        var options = { usePipeline: false, boost: t.boost, wildcard: t.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE };
        if (t.edit) options.editDistance = t.edit; // lunr.js goes fuzzy whenever the key is present
        q.term(t.term, options);
      });
    });
    var found = {};
    results.forEach(function (r) { found[r.ref] = [r.score, Object.keys(r.matchData.metadata).sort()]; });
    return found;
  }

  function withinOne(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
    return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
  }

  function matches(term, token) {
    if (term.wildcard) return token.indexOf(term.term) === 0;
    if (term.edit) return withinOne(term.term, token);
    return token === term.term;
  }

  // A resource must match at least half of what was typed (each bigram or word is one unit).
  function enough(terms, tokens) {
    var units = {}, matched = {};
    terms.forEach(function (t) {
      units[t.unit] = true;
      if (tokens.some(function (token) { return matches(t, token); })) matched[t.unit] = true;
    });
    return 2 * Object.keys(matched).length >= Object.keys(units).length;
  }

  function round6(x) { return Math.round(x * 1e6) / 1e6; }

  function rank(scores, cards, text) {
    var phrase = (normalise(text).match(CJK) || []).join("");
    function score(ref) {
      var card = cards[ref], lift = 1.0;
      if (phrase && normalise(card.n).indexOf(phrase) >= 0) lift = 3.0;
      else if (phrase && normalise(card.s + card.a).indexOf(phrase) >= 0) lift = 1.5;
      return round6(scores[ref] * lift);
    }
    return Object.keys(scores).sort(function (a, b) { return score(b) - score(a) || (a < b ? -1 : a > b ? 1 : 0); });
  }

  // Scores summed over the shards a query touched, kept only when enough of it matched.
  function combine(terms, parts) {
    var scores = {}, tokens = {};
    parts.forEach(function (part) {
      for (var ref in part) {
        scores[ref] = (scores[ref] || 0) + part[ref][0];
        tokens[ref] = (tokens[ref] || []).concat(part[ref][1]);
      }
    });
    var kept = {};
    for (var ref in scores) if (enough(terms, tokens[ref])) kept[ref] = scores[ref];
    return kept;
  }

  return { normalise: normalise, queryTerms: queryTerms, fnv1a: fnv1a, tokenShard: tokenShard, cardShard: cardShard, queryIndex: queryIndex, combine: combine, rank: rank };
});
