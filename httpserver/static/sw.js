// safetynet service worker: keeps the clue form (/report), the day list
// (/today), 我的服务 (/services/mine) and their assets so that a grid worker can use them with no
// signal. Reports and visits themselves are queued by report.js and
// visits.js in the page's storage, not here.
"use strict";
const CACHE = "safetynet-report-v2";
const KEEP = ["/report", "/today", "/services/mine"];

async function cacheReportPage() {
  await Promise.all(KEEP.map(cachePage));
}

async function cachePage(path) {
  const cache = await caches.open(CACHE);
  const resp = await fetch(path, { credentials: "same-origin", redirect: "manual" });
  if (!resp.ok || resp.type === "opaqueredirect") {
    return; // not logged in (or no day list): nothing to keep
  }
  const html = await resp.clone().text();
  await cache.put(path, resp);
  const assets = new Set();
  for (const m of html.matchAll(/\/static\/[^"'\s>]+/g)) {
    assets.add(m[0].replace(/&amp;/g, "&"));
  }
  await Promise.all([...assets].map((u) => cache.add(u).catch(() => {})));
}

self.addEventListener("install", (ev) => {
  ev.waitUntil(cacheReportPage().catch(() => {}).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (ev) => {
  ev.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (ev) => {
  if (ev.data === "forget") {
    // On logout: the cached form lists households; drop it.
    ev.waitUntil(caches.delete(CACHE));
  } else if (ev.data === "refresh") {
    ev.waitUntil(cacheReportPage().catch(() => {}));
  }
});

self.addEventListener("fetch", (ev) => {
  const url = new URL(ev.request.url);
  if (url.origin !== self.location.origin || ev.request.method !== "GET") {
    return;
  }
  if (KEEP.includes(url.pathname)) {
    // Network first, so the list of households stays fresh; the kept copy
    // when there is no connection.
    ev.respondWith(
      fetch(ev.request).then((resp) => {
        if (resp.ok) {
          const copy = resp.clone();
          caches.open(CACHE).then((c) => c.put(url.pathname, copy));
        }
        return resp;
      }).catch(() => caches.match(url.pathname))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    ev.respondWith(caches.match(ev.request).then((hit) => hit || fetch(ev.request)));
  }
});
