/* Resource search, query side: the mirror of atlas/search.py (query_terms, rank, answer,
   shards) and atlas/forgive.py (fold, forgive). Runs in the browser (window.atlasSearchCore)
   and in Node for the tests (module.exports). */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.atlasSearchCore = factory();
})(this, function () {
  "use strict";
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  var ASCII = /[a-z0-9]+/g;

  // Full-width -> half-width, lower case, then one character at a time through ``mapping``
  // (the manifest's variants, or forgive.json's traditional -> simplified table).
  function fold(text, mapping) {
    return Array.from(text.normalize("NFKC").toLowerCase()).map(function (c) {
      return mapping && Object.prototype.hasOwnProperty.call(mapping, c) ? mapping[c] : c;
    }).join("");
  }

  // Literal words, longest first: Python's re and this RegExp pick the same one at each place.
  function alternation(words) {
    words = words.slice().sort(function (a, b) { return b.length - a.length || (a < b ? -1 : a > b ? 1 : 0); });
    return words.length ? new RegExp(words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "g") : null;
  }

  // The query in the atlas's own words (synonyms); outside them without question words.
  function forgive(text, pairs, questions, mapping) {
    text = fold(text, mapping);
    var typed = alternation(Object.keys(pairs)), asks = alternation(questions), out = [], last = 0, match;
    function drop(part) { return asks ? part.replace(asks, " ") : part; }
    while (typed && (match = typed.exec(text))) {
      out.push(drop(text.slice(last, match.index)), " ", pairs[match[0]], " ");
      last = match.index + match[0].length;
    }
    out.push(drop(text.slice(last)));
    return out.join("").split(/\s+/).filter(Boolean).join(" ");
  }

  function queryTerms(text, stop, mapping) {
    var q = fold(text, mapping || {}), terms = [];
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

  // A query of one character dropped as a stop token (馆) reads its own ranked list
  // (atlas/search.py single_lists); null otherwise.
  function singleFile(terms, manifest) {
    if (terms.length !== 1 || (manifest.single || []).indexOf(terms[0].term) < 0) return null;
    return "single-" + terms[0].term.codePointAt(0).toString(16) + ".json";
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
    results.forEach(function (r) {
      var pairs = [];
      for (var token in r.matchData.metadata) for (var field in r.matchData.metadata[token]) pairs.push(field + ":" + token);
      found[r.ref] = [r.score, pairs.sort()];
    });
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

  function tokenOf(pair) { return pair.slice(pair.indexOf(":") + 1); }

  // [units of the query this resource matched, units in the query]
  function hits(terms, pairs) {
    var tokens = pairs.map(tokenOf);
    var units = {}, matched = {};
    terms.forEach(function (t) {
      units[t.unit] = true;
      if (tokens.some(function (token) { return matches(t, token); })) matched[t.unit] = true;
    });
    return [Object.keys(matched).length, Object.keys(units).length];
  }

  function round6(x) { return Math.round(x * 1e6) / 1e6; }

  // Adjacent and in order beats scattered: every Chinese bigram of the query (or one that
  // sounds the same) in the name lifts x3; in the categories, street or address x1.5
  // (as atlas/search.py lift()).
  function lift(terms, pairs) {
    var units = {}, fields = { n: {}, mt: {} };
    terms.forEach(function (t) { if (/^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/.test(t.unit)) units[t.unit] = true; });
    var wanted = Object.keys(units);
    if (!wanted.length) return 1.0;
    pairs.forEach(function (pair) {
      var field = pair.slice(0, pair.indexOf(":")), token = tokenOf(pair);
      if (field === "n") fields.n[token] = true;
      if (field === "m" || field === "t") fields.mt[token] = true;
    });
    function covered(tokens) {
      var units = {};
      terms.forEach(function (t) { if (tokens[t.term]) units[t.unit] = true; });
      return function (u) { return units[u]; };
    }
    if (wanted.every(covered(fields.n))) return 3.0;
    if (wanted.every(covered(fields.mt))) return 1.5;
    return 1.0;
  }

  // Shard answers merged: scores summed, matches joined.
  function combine(parts) {
    var found = {};
    parts.forEach(function (part) {
      for (var ref in part) {
        var seen = found[ref] || [0, []];
        found[ref] = [seen[0] + part[ref][0], seen[1].concat(part[ref][1])];
      }
    });
    return found;
  }

  // {refs, partial}, as atlas/search.py rank(): when something matches every unit, those that
  // match at least half by score; otherwise everything that matched, most units first.
  function rank(found, terms) {
    var scores = {}, counts = {}, full = false;
    for (var ref in found) {
      scores[ref] = round6(found[ref][0] * lift(terms, found[ref][1]));
      counts[ref] = hits(terms, found[ref][1]);
      if (counts[ref][0] === counts[ref][1]) full = true;
    }
    var refs = Object.keys(scores);
    if (full) {
      refs = refs.filter(function (r) { return 2 * counts[r][0] >= counts[r][1]; });
      return { refs: refs.sort(function (a, b) { return scores[b] - scores[a] || a - b; }), partial: false };
    }
    refs.sort(function (a, b) { return counts[b][0] - counts[a][0] || scores[b] - scores[a] || a - b; });
    return { refs: refs, partial: refs.length > 0 };
  }

  var CJK_TERM = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/;
  var SOUND_BOOST = 0.5; // a bigram that only sounds like the query's is a weaker match (atlas/search.py)

  // Character -> syllable, from sounds.json's pinyin table (syllable -> characters).
  function readings(pinyin) {
    var out = {};
    Object.keys(pinyin || {}).sort().forEach(function (syllable) {
      Array.from(pinyin[syllable]).forEach(function (c) { out[c] = syllable; });
    });
    return out;
  }

  // 泳管 -> "yong'guan"; null when a character has no reading.
  function soundKey(bigram, read) {
    var syllables = Array.from(bigram).map(function (c) { return read[c]; });
    return syllables.every(Boolean) ? syllables.join("'") : null;
  }

  // The query's Chinese bigrams that no index has (atlas/search.py unheard).
  function unheard(terms, known) {
    return terms.filter(function (t) { return Array.from(t.term).length === 2 && CJK_TERM.test(t.term) && !known[t.term]; });
  }

  // For each Chinese bigram in no index, the index's bigrams that sound the same, as weaker
  // clauses of the same unit (atlas/search.py sound_terms). sounds: sounds.json.
  function soundTerms(terms, known, sounds, stop) {
    var read = readings(sounds.pinyin), homophones = sounds.homophones || {}, extra = [];
    unheard(terms, known).forEach(function (t) {
      var key = soundKey(t.term, read);
      var alike = key && Object.prototype.hasOwnProperty.call(homophones, key) ? homophones[key] : [];
      alike.forEach(function (bigram) {
        if (bigram !== t.term && (stop || []).indexOf(bigram) < 0) extra.push({ term: bigram, wildcard: false, edit: 0, boost: SOUND_BOOST, unit: t.unit });
      });
    });
    return extra;
  }

  function byShard(terms, m) {
    var shards = {};
    terms.forEach(function (t) {
      var s = tokenShard(t.term, m.shards);
      (shards[s] = shards[s] || []).push(t);
    });
    return shards;
  }

  // One pass: the terms' shards (or a single character's own list), ranked; .unknown when some
  // Chinese term is in no index at all. When ``sounding``, bigrams in no index are also asked
  // by their sound (sounds.json, fetched only then).
  function run(text, io, m, sounding) {
    var terms = queryTerms(text, m.stop, {});
    if (!terms.length) return Promise.resolve({ refs: [], partial: false, unknown: false });
    var single = singleFile(terms, m);
    if (single) return io.json(single).then(function (refs) { return { refs: refs, partial: false, unknown: false }; });
    var shards = byShard(terms, m), known = {};
    return Promise.all(Object.keys(shards).map(function (s) {
      return io.index(s).then(function (idx) {
        if (idx) shards[s].forEach(function (t) { if (Object.prototype.hasOwnProperty.call(idx.invertedIndex, t.term)) known[t.term] = true; });
      });
    })).then(function () {
      var unknown = terms.some(function (t) { return CJK_TERM.test(t.term) && !known[t.term]; });
      if (!sounding || !unheard(terms, known).length) return [unknown, terms];
      return io.json("sounds.json").then(function (sounds) { return [unknown, terms.concat(soundTerms(terms, known, sounds, m.stop))]; });
    }).then(function (got) {
      var unknown = got[0], all = got[1], asked = byShard(all, m);
      return Promise.all(Object.keys(asked).map(function (s) {
        return io.index(s).then(function (idx) { return queryIndex(io.lunr, idx, asked[s]); });
      })).then(function (parts) {
        var ranked = rank(combine(parts), all);
        ranked.unknown = unknown;
        return ranked;
      });
    });
  }

  // As atlas/search.py trace(): as typed first; only if nothing matches it all (and a Chinese word is unknown), forgive.json
  // and again folded, then forgiven (and sounded out). The first complete answer wins, else the last partial one.
  // io: {lunr, manifest: () => Promise, index: shard => Promise<lunr.Index|null>, json: path => Promise}
  function search(text, io) {
    return io.manifest().then(function (m) {
      var asked = [fold(text, m.variants) + "\n"]; // text + "\n" + whether sounded out
      return run(fold(text, m.variants), io, m).then(function (best) {
        if ((best.refs.length && !best.partial) || !best.unknown) return best; // forgiving only changes words the index lacks
        return io.json("forgive.json").then(function (kind) {
          var tries = [[fold(text, kind.table), false], [forgive(text, kind.synonyms, kind.questions, kind.table), true]];
          function next(i) {
            if (i === tries.length) return best;
            var key = tries[i][0] + "\n" + (tries[i][1] ? "sound" : "");
            if (asked.indexOf(key) >= 0) return next(i + 1);
            asked.push(key);
            return run(tries[i][0], io, m, tries[i][1]).then(function (got) {
              if (got.refs.length && !got.partial) return got;
              if (got.refs.length) best = got;
              return next(i + 1);
            });
          }
          return next(0);
        });
      });
    });
  }

  return { fold: fold, forgive: forgive, readings: readings, soundKey: soundKey, search: search, queryTerms: queryTerms, singleFile: singleFile, fnv1a: fnv1a, tokenShard: tokenShard, cardShard: cardShard, queryIndex: queryIndex, combine: combine, rank: rank };
});
