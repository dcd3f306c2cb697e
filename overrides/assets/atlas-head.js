/* Loaded first, in <head>, as a blocking file (the CSP forbids inline scripts). Keep it tiny. */

/* 1. mkdocs-material 9.8.1's storage helpers, verbatim from partials/javascripts/base.html
      except that the scope comes from this script tag's data-scope (tests/test_quality.py
      checks it still matches the installed Material). */
__md_scope=new URL(document.currentScript.dataset.scope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}

/* 2. 大字模式 (the 适老化 larger-text switch in the header), remembered per browser. The class
      goes on <html> before the body is parsed, so a large-text page never flashes small. */
(function () {
  "use strict";
  var KEY = "atlas.large-text", CLASS = "atlas-large", root = document.documentElement;

  function stored() { try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  function store(on) { try { if (on) localStorage.setItem(KEY, "1"); else localStorage.removeItem(KEY); } catch (e) { /* private mode: this page only */ } }
  function sync() {
    var on = root.classList.contains(CLASS);
    document.querySelectorAll(".atlas-textsize").forEach(function (button) { button.setAttribute("aria-pressed", String(on)); });
  }

  root.classList.add("atlas-js"); // the switch is shown only when this script runs
  if (stored()) root.classList.add(CLASS);
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".atlas-textsize")) return;
    var on = root.classList.toggle(CLASS);
    store(on);
    sync();
  });
  document.addEventListener("DOMContentLoaded", sync);
})();

/* 3. /find/ owns ?q=: Material opens its own search panel over any page whose address has q
      (and drops q when the panel closes). On the finder, q is taken out of the address before
      Material's bundle reads it; atlas-finder.js reads it from here and puts it back. */
(function () {
  "use strict";
  if (!/\/find\/(index\.html)?$/.test(location.pathname)) return;
  var params = new URLSearchParams(location.search);
  if (!params.has("q")) return;
  window.atlasFinderQuery = params.get("q");
  params.delete("q");
  var rest = params.toString();
  history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
})();
