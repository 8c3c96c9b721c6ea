// The search box: queries the index under search/ (see src/search/index/ for its files),
// loading each part with a classic <script> element so that it works from file:// as well as
// from any web server and sub-path. handbookTokens and handbookStem come before this file.
(function () {
  "use strict";
  if (window.__handbookSearchUi) return;
  window.__handbookSearchUi = true;

  var script = document.currentScript;
  var base = script.src.replace(/[^\/]*(\?.*)?$/, "");
  var root = base.replace(/search\/$/, "");
  var pending = {};
  var PAGE = 10;
  var PREFIX_TERMS = 30;
  // Fewer pages than this with every word: those with most of them follow.
  var PARTIAL = 3;
  // What a question's phrasing adds to a page that has it.
  var LIGHT = 0.2;
  // The results looked at for the query's words side by side in a title: the first screen,
  // whose records are loaded to show it anyway.
  var PHRASE_HITS = PAGE;
  var TYPO_TERMS = 8;

  // Index files call this as they load, with the stamp of their build and their data gzipped
  // in base64: kept on their own element (decoded, inflated by the browser's
  // DecompressionStream and parsed), so that a file never lands in another load's place.
  window.__handbookSearch = function (name, stamp, data) {
    var el = document.currentScript;
    if (el) el.handbookData = { stamp: stamp, data: inflate(data) };
  };

  function inflate(base64) {
    var text = atob(base64);
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  // The stamp of the meta.js loaded; every other file must have the same. `generation` counts
  // the times the index was loaded afresh; `again` is added to the files' URLs then, so that
  // the browser loads them again rather than from its cache.
  var stamp = null;
  var generation = 0;
  var again = "";

  function staleError() {
    var e = new Error("the index changed while it was read");
    e.stale = true;
    return e;
  }

  // The data of search/NAME.js. A file from another build than meta.js (the index was replaced
  // while this page used it), or one that arrives after the index was loaded afresh, fails as
  // `stale`.
  function load(name) {
    if (pending[name]) return pending[name];
    var gen = generation;
    var promise = new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = base + name + ".js" + again;
      el.async = true;
      el.onload = function () {
        var f = el.handbookData;
        if (!f) return reject(new Error("search/" + name + ".js did not load"));
        if (gen !== generation) return reject(staleError());
        if (name === "meta") stamp = f.stamp;
        else if (f.stamp !== stamp) return reject(staleError());
        f.data.then(function (data) {
          if (gen !== generation) reject(staleError());
          else resolve(data);
        }, reject);
      };
      el.onerror = function () {
        if (pending[name] === promise) delete pending[name];
        reject(new Error("search/" + name + ".js could not be loaded"));
      };
      document.head.appendChild(el);
    });
    pending[name] = promise;
    return promise;
  }

  // Forgets every file loaded and all that was made of them, to load the index afresh.
  function forget() {
    generation++;
    again = "?v=" + Date.now();
    stamp = null;
    pending = {};
    shardIndex = {};
    records = {};
    crumbUrls = {};
    meta = null;
    facets = null;
    facetsFilled = false;
  }

  // ---- decoding -------------------------------------------------------------------------
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  for (var d = 0; d < 64; d++) VALUE[DIGITS.charAt(d)] = d;

  function varints(s) {
    var out = [];
    var v = 0;
    var shift = 0;
    for (var i = 0; i < s.length; i++) {
      var c = VALUE[s.charAt(i)];
      v += (c & 31) * Math.pow(2, shift);
      if (c & 32) {
        shift += 5;
      } else {
        out.push(v);
        v = 0;
        shift = 0;
      }
    }
    return out;
  }

  // A word's postings: page numbers and impacts (its item in a shard: term, pages, highest
  // impact, heads, then these).
  function postings(item) {
    var members = item[4];
    var entries = [];
    if (members.charAt(0) === "!") {
      for (var i = 1; i < members.length; i++) {
        var bits = VALUE[members.charAt(i)];
        for (var b = 0; b < 6; b++) if (bits & (1 << b)) entries.push((i - 1) * 6 + b);
      }
    } else {
      var gaps = varints(members);
      var at = 0;
      for (var g = 0; g < gaps.length; g++) {
        at += gaps[g];
        entries.push(at);
      }
    }
    // Levels of every page, or of a common word's best pages (their positions as gaps) with
    // one level for the others.
    var levels = item[5];
    var impacts = new Float32Array(entries.length);
    var level = function (l) {
      return (l / 31) * item[2];
    };
    if (item.length > 6) {
      impacts.fill(level(item[7]));
      var positions = varints(item[6]);
      for (var k = 0, p = 0; k < positions.length; k++) {
        p += positions[k];
        impacts[p] = level(VALUE[levels.charAt(k)]);
      }
    } else {
      for (var j = 0; j < entries.length; j++) impacts[j] = level(VALUE[levels.charAt(j)]);
    }
    return { entries: entries, impacts: impacts };
  }

  // ---- the index's files ----------------------------------------------------------------
  var meta = null;
  function withMeta() {
    return load("meta").then(function (m) {
      meta = m;
      return m;
    });
  }

  // The file of a word: the last whose first word is not after it.
  function fileOf(firsts, term) {
    var lo = 0;
    var hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  var shardIndex = {};
  // Page records by number, from the shards and the records' files.
  var records = {};
  function shard(kind, n) {
    var name = kind + n;
    return load(name).then(function (data) {
      if (!shardIndex[name]) {
        // Records that come with the heads join those loaded by page number.
        for (var e in data.r || {}) records[e] = data.r[e];
        var byTerm = {};
        for (var i = 0; i < data.t.length; i++) byTerm[data.t[i][0]] = data.t[i];
        shardIndex[name] = { byTerm: byTerm, data: data };
      }
      return shardIndex[name];
    });
  }

  // Head items of the words from `lo` up to (not including) `hi`, in all files they span.
  function headRange(lo, hi) {
    var first = fileOf(meta.t, lo);
    var last = fileOf(meta.t, hi);
    var wanted = [];
    for (var n = first; n <= last && n < first + 3; n++) wanted.push(shard("t", n));
    return Promise.all(wanted).then(function (shards) {
      var items = [];
      shards.forEach(function (s) {
        s.data.t.forEach(function (item) {
          if (item[0] >= lo && item[0] < hi) items.push(item);
        });
      });
      return items;
    });
  }

  function headOf(term) {
    return shard("t", fileOf(meta.t, term)).then(function (s) {
      return s.byTerm[term] || null;
    });
  }

  function recordOf(entry) {
    if (records[entry]) return Promise.resolve(records[entry]);
    var n = Math.floor(entry / meta.d);
    return load("d" + n).then(function (list) {
      records[entry] = list[entry - n * meta.d];
      return records[entry];
    });
  }

  // ---- queries --------------------------------------------------------------------------
  function term(word) {
    return handbookStem(word);
  }

  // Damerau-Levenshtein distance of at most one.
  function oneEdit(a, b) {
    if (a === b) return true;
    var la = a.length;
    var lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a.charAt(i) === b.charAt(i)) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) &&
        a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The index's words one slip away from `word` (folded, 5 letters or more): those whose
  // stem matches the stem of the word with one letter changed, added, dropped or swapped.
  // A slip that keeps the word's length (two letters swapped, one mistyped) is the likelier:
  // when such a correction exists, those that add or drop a letter are left out ("pacthing"
  // is "patching", not "pathing").
  function typos(word) {
    return load("words").then(function (list) {
      if (!list.set) {
        list.set = {};
        list.forEach(function (w) {
          list.set[w] = true;
        });
      }
      var own = term(word);
      function scan(edits) {
        var found = {};
        var out = [];
        for (var i = 0; i <= word.length && out.length < TYPO_TERMS; i++) {
          edits(i).forEach(function (w) {
            var t = term(w);
            if (list.set[t] && !found[t] && t !== own) {
              found[t] = true;
              out.push(t);
            }
          });
        }
        return out.slice(0, TYPO_TERMS);
      }
      var letters = "abcdefghijklmnopqrstuvwxyz".split("");
      // Swapped with the next letter, or another letter in its place.
      var same = scan(function (i) {
        if (i >= word.length) return [];
        var ws = letters.map(function (c) {
          return word.slice(0, i) + c + word.slice(i + 1);
        });
        if (i + 1 < word.length) {
          ws.unshift(word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2));
        }
        return ws;
      });
      if (same.length) return same;
      // Dropped, or one more before it.
      var other = scan(function (i) {
        var ws = letters.map(function (c) {
          return word.slice(0, i) + c + word.slice(i);
        });
        if (i < word.length) ws.unshift(word.slice(0, i) + word.slice(i + 1));
        return ws;
      });
      return other;
    });
  }

  // Words a question is phrased with ("how much can I ..."): a page need not hold them to
  // answer it, and they weigh little when it does.
  var QUESTION_WORDS = {};
  ("a an the how what when where which who whom why whose do does did doing i me my we our us " +
    "you your is are was were be been am can could should would must may might shall will to of " +
    "for in on at by with from about it its if there this that these those any some much many " +
    "have has had get got need needs want")
    .split(" ").forEach(function (w) { QUESTION_WORDS[w] = true; });

  // The words of a query, each with the index words it matches (weighted: exact 1, by prefix
  // 0.8, by a typo 0.7, by a long shared beginning 0.6: `expiry` finds `expires`) and whether
  // it is only a question's phrasing (`light`).
  function groups(query) {
    var words = handbookTokens(query);
    var open = words.length > 0 && /[\p{L}\p{N}]$/u.test(query);
    var light = words.map(function (w) { return QUESTION_WORDS[w] === true; });
    // A query of nothing but such words means them.
    if (light.every(Boolean)) light = light.map(function () { return false; });
    return Promise.all(words.map(function (word, i) {
      var t = term(word);
      var last = open && i === words.length - 1;
      var found;
      if (last && t.length >= 2) {
        found = Promise.all([headRange(t, t + "\uffff"), word !== t ? headRange(word, word + "\uffff") : []])
          .then(function (r) {
            var seen = {};
            var items = [];
            r[0].concat(r[1]).forEach(function (item) {
              if (seen[item[0]]) return;
              seen[item[0]] = true;
              items.push({ item: item, weight: item[0] === t ? 1 : 0.8 });
            });
            items.sort(function (a, b) {
              return b.weight - a.weight || b.item[1] - a.item[1];
            });
            return items.slice(0, PREFIX_TERMS);
          });
      } else {
        found = headOf(t).then(function (item) {
          return item ? [{ item: item, weight: 1 }] : [];
        });
      }
      return found.then(function (items) {
        if (items.length || Array.from(word).length < 5) return items;
        return typos(word).then(function (ts) {
          return Promise.all(ts.map(headOf)).then(function (heads) {
            return heads.filter(Boolean).map(function (item) {
              return { item: item, weight: 0.7 };
            });
          });
        });
      }).then(function (items) {
        // Neither the word nor a typo of it: the words that begin as it does, but for its
        // last letters (`expir` for `expiry`, whose pages say `expires`).
        var keep = Math.max(5, Math.ceil(t.length * 0.75));
        if (items.length || t.length <= keep) return items;
        var prefix = t.slice(0, keep);
        return headRange(prefix, prefix + "\uffff").then(function (found) {
          found.sort(function (a, b) { return b[1] - a[1]; });
          return found.slice(0, PREFIX_TERMS).map(function (item) {
            return { item: item, weight: 0.6 };
          });
        });
      }).then(function (items) {
        return { word: word, items: items, light: light[i] };
      });
    }));
  }

  // Ranks the pages that match every word (but a question's phrasing, which only adds a
  // little); when fewer than PARTIAL do, the pages that match most of them follow (`partial`:
  // how many of the hits match every word). `filter` (or null) keeps a page number or not.
  // Returns {hits: [{entry, score, head}], total, exact, partial}.
  function rank(gs, filter, want, match) {
    if (!gs.length || gs.every(function (g) { return !g.items.length; })) {
      return Promise.resolve({ hits: [], total: 0, exact: true });
    }
    // The best snippet row of each page among the words' heads.
    // A page's snippet is the one that has most of the query's words, then the best scored.
    var heads = {};
    gs.forEach(function (g) {
      g.items.forEach(function (x) {
        x.item[3].forEach(function (row) {
          var s = row[1] * x.weight;
          var c = gs.length > 1 ? coverage(row[4], match) * 10 + coverage(row[2], match) : 1;
          var had = heads[row[0]];
          if (!had || had.cover < c || (had.cover === c && had.score < s)) {
            heads[row[0]] = { score: Math.max(s, had ? had.score : 0), cover: c, row: row };
          }
        });
      });
    });
    // One word and a first screen: its words' heads hold the answer (a page's score is its
    // best word's, so the best pages are among each word's best).
    if (gs.length === 1 && gs[0].items.length && !filter && want <= meta.head) {
      var items = gs[0].items;
      var hits = Object.keys(heads).map(function (e) {
        return { entry: Number(e), score: heads[e].score, head: heads[e].row };
      });
      hits.sort(function (a, b) {
        return b.score - a.score || a.entry - b.entry;
      });
      var exact = items.length === 1;
      return Promise.resolve({ hits: hits, total: exact ? items[0].item[1] : hits.length, exact: exact });
    }
    return Promise.all(gs.map(function (g) {
      return Promise.all(g.items.map(function (x) {
        // Each word's item came with its shard: its postings are in it.
        return { p: postings(x.item), weight: x.weight };
      })).then(function (lists) {
        var scores = new Map();
        lists.forEach(function (l) {
          for (var i = 0; i < l.p.entries.length; i++) {
            var e = l.p.entries[i];
            var s = l.p.impacts[i] * l.weight;
            var had = scores.get(e);
            if (had === undefined || had < s) scores.set(e, s);
          }
        });
        return scores;
      });
    })).then(function (maps) {
      var required = [];
      var extra = [];
      gs.forEach(function (g, k) {
        (g.light ? extra : required).push(maps[k]);
      });
      required.sort(function (a, b) {
        return a.size - b.size;
      });
      var lightScore = function (e) {
        var s = 0;
        extra.forEach(function (m) { s += (m.get(e) || 0) * LIGHT; });
        return s;
      };
      var hits = [];
      var seen = new Set();
      required[0].forEach(function (s, e) {
        if (filter && !filter(e)) return;
        var total = s;
        for (var m = 1; m < required.length; m++) {
          var o = required[m].get(e);
          if (o === undefined) return;
          total += o;
        }
        seen.add(e);
        hits.push({ entry: e, score: total + lightScore(e), head: heads[e] ? heads[e].row : null });
      });
      hits.sort(function (a, b) {
        return b.score - a.score || a.entry - b.entry;
      });
      var full = hits.length;
      if (full < PARTIAL && required.length > 1) {
        // Pages holding most of the words: the more of them, the better, then by score.
        var partial = [];
        var counted = new Map();
        required.forEach(function (m) {
          m.forEach(function (s, e) {
            if (seen.has(e) || (filter && !filter(e))) return;
            var had = counted.get(e) || { n: 0, score: 0 };
            had.n += s > 0 ? 1 : 0;
            had.score += s;
            counted.set(e, had);
          });
        });
        counted.forEach(function (c, e) {
          partial.push({ entry: e, n: c.n, score: c.score + lightScore(e), head: heads[e] ? heads[e].row : null });
        });
        partial.sort(function (a, b) {
          return b.n - a.n || b.score - a.score || a.entry - b.entry;
        });
        hits = hits.concat(partial);
      }
      return { hits: hits, total: hits.length, exact: true, partial: full };
    });
  }

  // The longest run of the query's words, in order and side by side, in `text` (stemmed and
  // folded as the index has them; a question's phrasing left out of both).
  function sideBySide(words, text) {
    var have = handbookTokens(text || "").filter(function (w) {
      return !QUESTION_WORDS[w];
    }).map(term);
    var best = 0;
    var prev = new Array(words.length + 1).fill(0);
    for (var i = 0; i < have.length; i++) {
      var cur = new Array(words.length + 1).fill(0);
      for (var k = 0; k < words.length; k++) {
        if (have[i] === words[k]) {
          cur[k + 1] = prev[k] + 1;
          best = Math.max(best, cur[k + 1]);
        }
      }
      prev = cur;
    }
    return best;
  }

  // Of the first results, those whose title (then the heading their words are under) holds
  // two or more of the query's words side by side come first, in their order: a page titled
  // as the query beats one that only shares its words. Then, when a word of the query names a
  // kind of document (`outage runbook`), the documents of that kind.
  function phrasesFirst(result, gs) {
    var words = gs.filter(function (g) { return !g.light; }).map(function (g) { return term(g.word); });
    var kinds = {};
    meta.kinds.forEach(function (k, i) {
      if (k[0] !== "page" && words.indexOf(term(k[0])) >= 0) kinds[i] = true;
    });
    var top = result.hits.slice(0, PHRASE_HITS);
    var named = Object.keys(kinds).length > 0;
    if ((words.length < 2 && !named) || top.length < 2) return result;
    return Promise.all(top.map(function (h) { return recordOf(h.entry); })).then(function (recs) {
      var keyed = top.map(function (h, i) {
        var key = words.length < 2 ? 0 : sideBySide(words, recs[i][0]) >= 2 ? 2 :
          sideBySide(words, h.head && h.head[2]) >= 2 ? 1 : 0;
        return { hit: h, key: key, kind: kinds[recs[i][2]] ? 1 : 0, at: i };
      });
      keyed.sort(function (a, b) { return b.key - a.key || b.kind - a.kind || a.at - b.at; });
      result.hits = keyed.map(function (k) { return k.hit; }).concat(result.hits.slice(top.length));
      return result;
    });
  }

  // ---- facets ---------------------------------------------------------------------------
  var facets = null;
  function withFacets() {
    if (facets) return Promise.resolve(facets);
    return load("facets").then(function (f) {
      var tags = varints(f.tags);
      var tagLists = [];
      for (var i = 0; i < tags.length;) {
        var n = tags[i++];
        tagLists.push(tags.slice(i, i + n));
        i += n;
      }
      facets = {
        kind: varints(f.kind),
        owner: varints(f.owner),
        team: varints(f.team),
        tags: tagLists,
        next: varints(f.next),
        soon: varints(f.soon)
      };
      return facets;
    });
  }

  // Days since 1970 (plus one, as the index writes them) of the reader's date.
  var today = (function () {
    var now = new Date();
    return Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / 86400000) + 1;
  })();

  // The review status rule of handbook.js, on day numbers.
  function statusOf(next, soon) {
    if (!next) return "none";
    if (today > next) return "overdue";
    if (soon && today >= soon) return "due-soon";
    return "current";
  }
  var STATUS = { overdue: "Overdue", "due-soon": "Due soon", current: "Current", none: "No review date" };

  // ---- the user interface ---------------------------------------------------------------
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  if (!input || !panel) return;
  var list = panel.querySelector(".search-results");
  var status = panel.querySelector(".search-status");
  var more = panel.querySelector(".search-more");
  var selects = panel.querySelectorAll("select[data-facet]");
  var shown = PAGE;
  var serial = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  var WORD = /[\p{L}\p{N}\p{M}]+(?:['\u2019][\p{L}\p{N}\p{M}]+)*/gu;

  // Which word of the query (its number, or -1) a word of a result matches: one of the index
  // words the query's word matched, or, for the last word as typed, by prefix.
  function matcher(gs, query) {
    var byTerm = {};
    gs.forEach(function (g, k) {
      g.items.forEach(function (x) {
        byTerm[x.item[0]] = k;
      });
    });
    var open = gs.length && /[\p{L}\p{N}]$/u.test(query);
    var prefix = open ? gs[gs.length - 1].word : null;
    var stemmed = prefix ? term(prefix) : null;
    return function (word) {
      var words = handbookTokens(word);
      for (var i = 0; i < words.length; i++) {
        var t = term(words[i]);
        if (byTerm[t] !== undefined) return byTerm[t];
        if (prefix && (words[i].indexOf(prefix) === 0 || t.indexOf(stemmed) === 0)) return gs.length - 1;
      }
      return -1;
    };
  }

  // How many of the query's words `text` has.
  function coverage(text, match) {
    var seen = {};
    var n = 0;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      var k = match(m[0]);
      if (k >= 0 && !seen[k]) {
        seen[k] = true;
        n++;
      }
    }
    return n;
  }

  // `text` with the query's words marked, built as text nodes (never as HTML).
  function highlighted(text, match) {
    var frag = document.createDocumentFragment();
    var last = 0;
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (match(m[0]) < 0) continue;
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      frag.appendChild(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  function slug(title) {
    return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  // The site-relative URL of a page from its record's part (see url_part in index/records.rs).
  function urlOf(part, title, parentUrl) {
    if (part.charAt(0) === "/") return part.slice(1);
    return parentUrl + (part || slug(title)) + "/";
  }

  var crumbUrls = {};
  function crumbUrl(i) {
    if (i < 0) return "";
    if (crumbUrls[i] === undefined) {
      var c = meta.crumbs[i];
      crumbUrls[i] = urlOf(c[2], c[0], crumbUrl(c[1]));
    }
    return crumbUrls[i];
  }

  function crumbTitles(i) {
    var out = [];
    for (; i >= 0; i = meta.crumbs[i][1]) out.unshift(meta.crumbs[i][0]);
    return out;
  }

  function render(result, gs, query, id) {
    if (id !== serial) return;
    list.textContent = "";
    var match = matcher(gs, query);
    result.shownRecords.forEach(function (r) {
      var hit = r.hit;
      var rec = r.record;
      var url = urlOf(rec[1], rec[0], crumbUrl(rec[4]));
      var head = hit.head;
      var li = el("li", "search-result");
      var a = el("a");
      var file = url + (meta.pretty ? "" : "index.html");
      a.href = root + file + (head && head[3] ? "#" + encodeURIComponent(head[3]) : "");
      var top = el("span", "search-result-title");
      top.appendChild(highlighted(rec[0], match));
      a.appendChild(top);
      var kind = meta.kinds[rec[2]];
      a.appendChild(el("span", "kind " + kind[0], kind[1]));
      if (rec[5]) a.appendChild(el("span", "search-result-id", rec[5]));
      if (rec[8]) a.appendChild(el("span", "status retired", "Retired"));
      var crumbs = crumbTitles(rec[4]);
      if (head && head[2]) crumbs.push(head[2]);
      if (crumbs.length) a.appendChild(el("span", "search-result-crumbs", crumbs.join(" › ")));
      if (head && head[4]) {
        var snip = el("span", "search-result-snippet");
        snip.appendChild(highlighted(head[4], match));
        a.appendChild(snip);
      }
      var facts = [];
      if (rec[3]) facts.push("Owner: " + meta.owners[rec[3] - 1]);
      if (rec[6]) facts.push(STATUS[statusOf(rec[6], rec[7] ? rec[6] - rec[7] : 0)]);
      if (facts.length) a.appendChild(el("span", "search-result-facts", facts.join(" · ")));
      li.appendChild(a);
      list.appendChild(li);
    });
    var n = result.total;
    var count = function (k, what) {
      return k === 1 ? "1 " + what : k.toLocaleString("en") + " " + what + "s";
    };
    status.textContent = n === 0 ? "No results" : n === 1 ? "1 result" :
      n.toLocaleString("en") + (result.exact ? " results" : " or more results");
    // Pages without every word are said to be so.
    if (n > 0 && result.partial !== undefined && result.partial < n) {
      status.textContent = result.partial === 0 ?
        "No page has all the words; " + count(n, "page") + " with some of them" :
        count(result.partial, "result") + " with all the words, then " +
          count(n - result.partial, "page") + " with some of them";
    }
    more.hidden = result.exact && result.shownRecords.length >= n;
    panel.hidden = false;
    done(query);
  }

  // The panel says when it shows the answer to a query, and to which (tests, and anything
  // else reading the results, wait for the words in the box, not for an earlier answer).
  function done(query) {
    panel.setAttribute("data-query", query);
    panel.setAttribute("data-state", "done");
  }

  function currentFilter() {
    var chosen = [];
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value !== "") chosen.push([selects[i].getAttribute("data-facet"), selects[i].value]);
    }
    if (!chosen.length) return Promise.resolve(null);
    return withFacets().then(function (f) {
      return function (e) {
        return chosen.every(function (c) {
          var v = c[1];
          switch (c[0]) {
            case "kind": return String(f.kind[e]) === v;
            case "owner": return String(f.owner[e]) === v;
            case "team": return String(f.team[e]) === v;
            case "tag": return f.tags[e].indexOf(Number(v)) >= 0;
            case "status": return statusOf(f.next[e], f.soon[e]) === v;
          }
          return true;
        });
      };
    });
  }

  // Runs the query in the box; `afresh` when it is run again after the index changed.
  function run(afresh) {
    var id = ++serial;
    var query = input.value;
    panel.setAttribute("data-state", "busy");
    if (!query.trim()) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      done(query);
      return Promise.resolve();
    }
    var gs;
    return withMeta().then(fillFacets).then(function () {
      return groups(query);
    }).then(function (g) {
      gs = g;
      return currentFilter();
    }).then(function (filter) {
      return rank(gs, filter, shown, matcher(gs, query));
    }).then(function (result) {
      return phrasesFirst(result, gs);
    }).then(function (result) {
      var hits = result.hits.slice(0, shown);
      return Promise.all(hits.map(function (h) {
        return recordOf(h.entry);
      })).then(function (recs) {
        result.shownRecords = hits.map(function (h, i) {
          return { hit: h, record: recs[i] };
        });
        render(result, gs, query, id);
      });
    }).catch(function (e) {
      if (id !== serial) return;
      if (e && e.stale && afresh !== true) {
        forget();
        return run(true);
      }
      status.textContent = "Search is unavailable: " + e.message;
      panel.hidden = false;
      done(query);
    });
  }

  var facetsFilled = false;
  // The filters' choices, from meta.js (again when the index was loaded afresh: a choice is
  // kept if it is still there).
  function fillFacets() {
    if (facetsFilled) return;
    facetsFilled = true;
    var lists = {
      kind: meta.kinds.map(function (k) { return k[1]; }),
      owner: meta.owners,
      team: meta.teams,
      tag: meta.tags
    };
    for (var i = 0; i < selects.length; i++) {
      var s = selects[i];
      var which = s.getAttribute("data-facet");
      if (which === "status") continue;
      var names = lists[which] || [];
      var chosen = s.value;
      s.options.length = 1;
      var order = names.map(function (n, k) { return k; });
      order.sort(function (a, b) { return names[a].localeCompare(names[b]); });
      order.forEach(function (k) {
        var o = el("option", null, names[k]);
        // Kinds are numbered from 0 in facets.js; owners, teams and tags from 1 (0: none).
        o.value = String(which === "kind" ? k : k + 1);
        s.appendChild(o);
      });
      s.value = chosen;
      if (s.value !== chosen) s.value = "";
      s.disabled = names.length === 0;
    }
  }

  // Arrow keys move the focus through the results' links (Enter follows the focused one, as
  // any link); from the box, Down goes to the first.
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".search-result > a"));
  }

  function focusResult(n) {
    var all = links();
    if (all.length) all[(n + all.length) % all.length].focus();
  }

  function close() {
    panel.hidden = true;
  }

  var timer = null;
  input.addEventListener("input", function () {
    shown = PAGE;
    clearTimeout(timer);
    // Each key starts a query; `serial` drops the answers of those overtaken by a later key.
    timer = setTimeout(run, 0);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      focusResult(0);
    } else if (e.key === "Enter") {
      var first = links()[0];
      if (first) {
        e.preventDefault();
        window.location.href = first.href;
      }
    } else if (e.key === "Escape") {
      close();
    }
  });
  list.addEventListener("keydown", function (e) {
    var at = links().indexOf(document.activeElement);
    if (at < 0) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (e.key === "ArrowUp" && at === 0) input.focus();
      else focusResult(at + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Escape") {
      close();
      input.focus();
    }
  });
  for (var s = 0; s < selects.length; s++) {
    selects[s].addEventListener("change", function () {
      shown = PAGE;
      run();
    });
  }
  more.addEventListener("click", function () {
    shown += PAGE;
    run();
  });
  document.addEventListener("click", function (e) {
    if (!panel.hidden && !panel.contains(e.target) && e.target !== input) close();
  });

  window.handbookSearch = { run: run };
  run();
})();
