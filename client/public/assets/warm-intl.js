// Loaded (async) by pages that format many dates and numbers, while they wait for their data or
// their scripts: the first Intl formatter built in a page costs 20-40 ms (ICU loads its locale
// data), every later one about a millisecond. Building one here moves that cost out of the
// page's first render. (server/modules/client-shell/index.ts adds this to the document view.)
new Intl.DateTimeFormat().format(0);
