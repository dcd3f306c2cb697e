/* Material's search worker, started at the first query instead of on every page load
   (atlas/page_search.py). Material's page sends its setup message with an index that has no
   documents, and sends queries (an empty one on every load) only once the worker says it is
   ready: this says so at once. At the first real query it fetches the index
   (search/pages.json), loads Material's worker (named in this script's query string) beside
   it, so Material's relative paths to its lunr languages hold, sets it up and passes on the
   latest query. */
"use strict";
var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3; // Material's SearchMessageType
var setup, latest, state = "waiting"; // waiting → loading → running

function deliver(data) { dispatchEvent(new MessageEvent("message", { data: data })); }

function start() {
  state = "loading";
  fetch(new URL("../../../search/pages.json", location.href)).then(function (response) {
    if (!response.ok) throw new Error(response.status + " " + response.statusText);
    return response.json();
  }).then(function (index) {
    importScripts(location.search.slice(1));
    var post = self.postMessage;
    // Material's worker says "ready" again after its setup: swallow that, then ask.
    self.postMessage = function (message) {
      if (message && message.type === READY) {
        self.postMessage = post;
        state = "running";
        deliver({ type: QUERY, data: latest });
        return;
      }
      post.apply(self, arguments);
    };
    deliver({ type: SETUP, data: { config: index.config, docs: index.docs, options: setup.options } });
  }).catch(function (error) {
    console.warn("站内页面搜索暂时不可用：", error);
    state = "waiting"; // the next query tries again
    postMessage({ type: RESULT, data: { items: [] } });
  });
}

addEventListener("message", function (event) {
  // Only Material's page is listened to, not what deliver() hands Material's worker; once
  // that worker runs, it answers everything itself.
  if (!event.isTrusted || state === "running") return;
  var message = event.data;
  if (message.type === SETUP) {
    setup = message.data;
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    latest = message.data;
    if (!String(latest).trim()) postMessage({ type: RESULT, data: { items: [] } }); // asked on every load
    else if (state === "waiting") start();
  }
});
