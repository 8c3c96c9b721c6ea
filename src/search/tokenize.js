// Words as the index sees them (`search::tokenize` on the Rust side, kept alike by a browser
// test): folded (lowercase, accents off), split at anything that is not a letter or a digit,
// an apostrophe inside a word dropped, CJK runs cut into single characters and pairs.
var handbookTokens = (function () {
  "use strict";
  var SPECIAL = { "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o",
    "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i" };
  var MARK = /\p{M}/u;
  var WORD = /[\p{Alphabetic}\p{N}]/u;

  function fold(word) {
    var out = "";
    var chars = Array.from(word.toLowerCase().normalize("NFKD"));
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (MARK.test(c)) continue;
      out += Object.prototype.hasOwnProperty.call(SPECIAL, c) ? SPECIAL[c] : c.toLowerCase();
    }
    return out;
  }

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30FF) || (n >= 0x3400 && n <= 0x4DBF) ||
      (n >= 0x4E00 && n <= 0x9FFF) || (n >= 0xAC00 && n <= 0xD7AF) ||
      (n >= 0xF900 && n <= 0xFAFF) || (n >= 0x20000 && n <= 0x2FA1F);
  }

  // The folded words of `text`, in order.
  function tokens(text) {
    var out = [];
    var word = "";
    var prev = null;
    var chars = Array.from(text);
    function flush() {
      var term = fold(word);
      if (term) out.push(term);
      word = "";
    }
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (isCjk(c)) {
        flush();
        if (!fold(c)) continue;
        if (prev !== null) out.push(fold(prev + c));
        out.push(fold(c));
        prev = c;
        continue;
      }
      prev = null;
      var next = chars[i + 1];
      if (WORD.test(c)) {
        word += c;
      } else if ((c === "'" || c === "\u2019") && word && next !== undefined &&
                 WORD.test(next) && !isCjk(next)) {
        // Inside a word: skip it and keep the word going.
      } else {
        flush();
      }
    }
    flush();
    return out;
  }

  tokens.fold = fold;
  return tokens;
})();
