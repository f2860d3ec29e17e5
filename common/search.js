// A search index built once per catalog, so each keystroke is a scan of short prepared strings:
// names in Korean and English, firm names and booths; whole syllables, 초성 ("ㄹㅂ" → 로봇) or both
// mixed ("로ㅂ"), with spaces ignored ("로봇키트" finds "로봇 키트") and every word required.
import { initials, isConsonant, isSyllable, looseEnding } from "/common/hangul.js";

const SEPARATOR = "\u0001";

const SPACE = /\s+/g;

/** Lower case, NFC, no white space. Positions line up with initials() of the same string. */
export function normalise(text) {
  const plain = String(text || "").normalize("NFC").replace(SPACE, "");
  const lower = plain.toLowerCase();
  // A few letters lower-case to two units (İ → i̇); keep such a string as it is rather than shift positions.
  return lower.length === plain.length ? lower : plain;
}

/** One entry per record: its fields joined, their initials, and where each field ends. */
export function buildIndex(records, fieldsOf) {
  const entries = new Array(records.length);
  for (let i = 0; i < records.length; i += 1) {
    const fields = fieldsOf(records[i]).map(normalise);
    const ends = [];
    let text = "";
    for (const field of fields) {
      text += field;
      ends.push(text.length);
      text += SEPARATOR;
    }
    entries[i] = { text, initials: initials(text), ends };
  }
  return { records, entries };
}

function compileWord(word) {
  const variants = [word];
  const loose = looseEnding(word);
  if (loose) variants.push(loose);
  return variants.map((variant) => {
    if (![...variant].some(isConsonant)) return { plain: variant };
    // Look the word up by its initials, then check that each whole syllable matches too.
    const checks = [];
    for (let k = 0; k < variant.length; k += 1) if (isSyllable(variant[k])) checks.push([k, variant[k]]);
    return { initials: initials(variant), checks };
  });
}

function findWord(entry, variants) {
  let best = -1;
  for (const variant of variants) {
    let at = -1;
    if (variant.plain !== undefined) {
      at = entry.text.indexOf(variant.plain);
    } else {
      let from = 0;
      for (;;) {
        at = entry.initials.indexOf(variant.initials, from);
        if (at < 0) break;
        if (variant.checks.every(([k, ch]) => entry.text[at + k] === ch)) break;
        from = at + 1;
      }
    }
    if (at >= 0 && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** A matcher for a query: null when the query is empty, else (entry) → score (lower is better) or -1. */
export function compile(query) {
  const words = String(query || "").split(/\s+/).map(normalise).filter(Boolean);
  if (!words.length) return null;
  const compiled = words.map(compileWord);
  return (entry) => {
    let score = 0;
    for (let w = 0; w < compiled.length; w += 1) {
      const at = findWord(entry, compiled[w]);
      if (at < 0) return -1;
      if (w === 0) {
        // Which field matched first: earlier fields (names) rank before later ones (firm, booth).
        let field = 0;
        while (field < entry.ends.length - 1 && at > entry.ends[field]) field += 1;
        const start = field === 0 ? 0 : entry.ends[field - 1] + 1;
        score = field * 1000 + Math.min(at - start, 999);
      }
    }
    return score;
  };
}

// Above any text score (field * 1000 + position): a record that cannot be had ranks after every one that can.
const UNAVAILABLE = 1 << 20;

/**
 * Records of `index` that pass `keep` (a filter by category or firm) and match `query`, best first, and
 * those `available` says can be had before those it says cannot; with no query, all kept records in
 * catalog order.
 */
export function search(index, query, keep = null, available = null) {
  const matcher = compile(query);
  const { records, entries } = index;
  if (!matcher) return keep ? records.filter(keep) : records.slice();
  // Scores in one typed array and hits as indexes: little garbage per keystroke, so no GC pauses.
  const scores = new Int32Array(records.length);
  const hits = [];
  for (let i = 0; i < records.length; i += 1) {
    if (keep && !keep(records[i])) continue;
    const score = matcher(entries[i]);
    if (score >= 0) {
      scores[i] = available && !available(records[i]) ? score + UNAVAILABLE : score;
      hits.push(i);
    }
  }
  hits.sort((a, b) => scores[a] - scores[b] || a - b);
  return hits.map((i) => records[i]);
}
