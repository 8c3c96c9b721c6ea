// The English (Porter2) stemmer of Snowball, as the index's Rust side runs it
// (`search::tokenize::stem`): the search script stems queries with it so that `deploys`
// finds what the index filed under `deploy`. Words are already folded: lowercase ASCII.
var handbookStem = (function () {
  "use strict";
  var EXCEPTIONS = {
    skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl",
    gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl",
    sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos", bias: "bias",
    andes: "andes"
  };
  var AFTER_1A = ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"];
  var DOUBLES = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
  var LI_ENDINGS = "cdeghkmnrt";

  function vowel(c) { return "aeiouy".indexOf(c) >= 0; }

  // R1 (from 0) and R2 (from R1): just after the first non-vowel that follows a vowel, the
  // vowel itself at `start` or later.
  function region(w, start) {
    for (var i = start + 1; i < w.length; i++) {
      if (!vowel(w[i]) && vowel(w[i - 1])) return i + 1;
    }
    return w.length;
  }

  // A short syllable ends at `i` (exclusive).
  function shortSyllableAt(w, i) {
    if (i === 2) return vowel(w[0]) && !vowel(w[1]);
    if (i < 3) return false;
    var a = w[i - 3], b = w[i - 2], c = w[i - 1];
    return !vowel(a) && vowel(b) && !vowel(c) && "wxY".indexOf(c) < 0;
  }

  // The longest of `suffixes` the word ends with, or "".
  function longest(w, suffixes) {
    var best = "";
    for (var i = 0; i < suffixes.length; i++) {
      var s = suffixes[i];
      if (s.length > best.length && w.length >= s.length && w.slice(-s.length) === s) best = s;
    }
    return best;
  }

  function ends(w, s) { return w.length >= s.length && w.slice(-s.length) === s; }

  function stem(word) {
    if (word.length < 3 || !/^[a-z]+$/.test(word)) return word;
    if (Object.prototype.hasOwnProperty.call(EXCEPTIONS, word)) return EXCEPTIONS[word];
    var w = word;
    // Prelude: a y that acts as a consonant is marked Y.
    if (w[0] === "y") w = "Y" + w.slice(1);
    for (var i = 1; i < w.length; i++) {
      if (w[i] === "y" && vowel(w[i - 1])) w = w.slice(0, i) + "Y" + w.slice(i + 1);
    }
    var m = /^(gener|commun|arsen)/.exec(w);
    var p1 = m ? m[0].length : region(w, 0);
    var p2 = region(w, p1);

    // Step 0: possessives (an apostrophe never survives folding; kept for completeness).
    // Step 1a.
    var s = longest(w, ["sses", "ied", "ies", "us", "ss", "s"]);
    if (s === "sses") w = w.slice(0, -2);
    else if (s === "ied" || s === "ies") w = w.slice(0, -3) + (w.length - 3 > 1 ? "i" : "ie");
    else if (s === "s") {
      var before = w.slice(0, -2);
      for (var j = 0; j < before.length; j++) {
        if (vowel(before[j])) { w = w.slice(0, -1); break; }
      }
    }
    if (AFTER_1A.indexOf(w) >= 0) return w;

    // Step 1b.
    s = longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
    if (s === "eed" || s === "eedly") {
      if (w.length - s.length >= p1) w = w.slice(0, -s.length) + "ee";
    } else if (s) {
      var stemPart = w.slice(0, -s.length);
      if (/[aeiouy]/.test(stemPart)) {
        w = stemPart;
        if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) w += "e";
        else if (DOUBLES.indexOf(w.slice(-2)) >= 0) w = w.slice(0, -1);
        else if (p1 >= w.length && shortSyllableAt(w, w.length)) w += "e";
      }
    }

    // Step 1c.
    if (w.length > 2 && (ends(w, "y") || ends(w, "Y")) && !vowel(w[w.length - 2])) {
      w = w.slice(0, -1) + "i";
    }

    // Step 2 (in R1).
    var step2 = {
      tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize",
      ization: "ize", ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al",
      alli: "al", fulness: "ful", ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive",
      biliti: "ble", bli: "ble", ogi: "og", fulli: "ful", lessli: "less", li: ""
    };
    s = longest(w, Object.keys(step2));
    if (s && w.length - s.length >= p1) {
      if (s === "ogi") {
        if (w[w.length - 4] === "l") w = w.slice(0, -3) + "og";
      } else if (s === "li") {
        if (LI_ENDINGS.indexOf(w[w.length - 3]) >= 0) w = w.slice(0, -2);
      } else {
        w = w.slice(0, -s.length) + step2[s];
      }
    }

    // Step 3 (in R1; ative in R2).
    var step3 = {
      tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic",
      ful: "", ness: "", ative: ""
    };
    s = longest(w, Object.keys(step3));
    if (s && w.length - s.length >= p1) {
      if (s !== "ative" || w.length - s.length >= p2) w = w.slice(0, -s.length) + step3[s];
    }

    // Step 4 (in R2).
    s = longest(w, ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment",
      "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"]);
    if (s && w.length - s.length >= p2) {
      if (s !== "ion" || "st".indexOf(w[w.length - 4]) >= 0) w = w.slice(0, -s.length);
    }

    // Step 5.
    if (ends(w, "e")) {
      var at = w.length - 1;
      if (at >= p2 || (at >= p1 && !shortSyllableAt(w, at))) w = w.slice(0, -1);
    } else if (ends(w, "l") && w.length - 1 >= p2 && w[w.length - 2] === "l") {
      w = w.slice(0, -1);
    }
    return w.replace(/Y/g, "y");
  }

  return stem;
})();
