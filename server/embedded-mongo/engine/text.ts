import { isPlainObject, toNumber, type Doc, type Value } from './bson-values';
import { MongoServerError } from './errors';
import { hasOwn } from './own';
import { setMeta } from './text-meta';

/**
 * Text indexes and `$text`, evaluated by scanning the collection with the index's fields
 * and weights (the index itself is only kept in the catalog).
 *
 * Tokens: text is lower-cased (unless $caseSensitive) and stripped of diacritics (unless
 * $diacriticSensitive), then split on anything that is not a letter or digit. Runs of
 * Chinese/Japanese/Korean characters, which have no spaces, become overlapping character
 * bigrams ("新鲜蔬菜" → 新鲜, 鲜蔬, 蔬菜; a lone character stays itself), so a two-character
 * query word finds any text containing it, while ASCII and other alphabetic words stay
 * whole. English (the default language) drops common stop words and strips inflections
 * (a light Porter step 1: plurals, -ed, -ing), as mongod's stemmer does for "searching" →
 * "search"; language "none" does neither.
 */
export interface TextIndex {
  fields: Map<string, number>;
  wildcard: boolean;
  wildcardWeight: number;
  language: string;
  languageOverride: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const TOKEN = /[\p{L}\p{N}]+/gu;
const STOP_WORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between ' +
    'both but by can did do does doing down during each few for from further had has have having he her here ' +
    'hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now ' +
    'of off on once only or other our ours ourselves out over own same she should so some such than that the ' +
    'their theirs them themselves then there these they this those through to too under until up very was we ' +
    'were what when where which while who whom why will with you your yours yourself yourselves'
  ).split(' '),
);

/** The text index of a collection's index specs, if it has one. */
export function textIndexOf(specs: Iterable<Doc>): TextIndex | undefined {
  for (const spec of specs) {
    const key = spec.key;
    if (!isPlainObject(key) || !Object.keys(key).some((k) => key[k] === 'text')) continue;
    const fields = new Map<string, number>();
    let wildcard = false;
    let wildcardWeight = 1;
    for (const k of Object.keys(key)) if (key[k] === 'text') fields.set(k, 1);
    if (isPlainObject(spec.weights)) {
      for (const k of Object.keys(spec.weights)) fields.set(k, toNumber(spec.weights[k]));
    }
    if (fields.has('$**')) {
      wildcard = true;
      wildcardWeight = fields.get('$**') ?? 1;
      fields.delete('$**');
    }
    return {
      fields,
      wildcard,
      wildcardWeight,
      language: typeof spec.default_language === 'string' ? spec.default_language : 'english',
      languageOverride: typeof spec.language_override === 'string' ? spec.language_override : 'language',
    };
  }
  return undefined;
}

interface TokenOptions {
  language: string;
  caseSensitive: boolean;
  diacriticSensitive: boolean;
}

function fold(s: string, o: TokenOptions): string {
  let out = o.caseSensitive ? s : s.toLowerCase();
  if (!o.diacriticSensitive) out = out.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
  return out;
}

function isEnglish(language: string): boolean {
  return language === 'english' || language === 'en';
}

/** A light English stemmer (Porter's step 1): enough for plurals and -ed/-ing forms. */
function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  const vowel = (s: string): boolean => /[aeiouy]/.test(s);
  for (const suffix of ['eed', 'ing', 'ed']) {
    if (!w.endsWith(suffix)) continue;
    const base = w.slice(0, -suffix.length);
    if (suffix === 'eed') {
      if (base.length > 1) w = `${base}ee`;
    } else if (vowel(base) && base.length >= 2) {
      w = base;
      if (/(at|bl|iz)$/.test(w)) w += 'e';
      else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
    }
    break;
  }
  if (w.endsWith('y') && vowel(w.slice(0, -1))) w = `${w.slice(0, -1)}i`;
  return w;
}

/** The index terms of a piece of text. */
function tokenize(text: string, o: TokenOptions): string[] {
  const out: string[] = [];
  const english = isEnglish(o.language);
  for (const raw of fold(text, o).match(TOKEN) ?? []) {
    // Split a token into runs of CJK and non-CJK characters.
    for (const run of raw.match(
      /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu,
    ) ?? []) {
      if (CJK.test(run)) {
        const chars = [...run];
        if (chars.length === 1) out.push(run);
        for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      } else if (english) {
        const lower = run.toLowerCase();
        if (!STOP_WORDS.has(lower)) out.push(stem(run));
      } else out.push(run);
    }
  }
  return out;
}

interface Search {
  terms: string[];
  negated: string[];
  phrases: string[];
  options: TokenOptions;
}

function parseSearch(arg: Value, index: TextIndex): Search {
  if (!isPlainObject(arg) || typeof arg.$search !== 'string') {
    throw new MongoServerError(2, '$search needs a String');
  }
  for (const k of Object.keys(arg)) {
    if (!['$search', '$language', '$caseSensitive', '$diacriticSensitive'].includes(k)) {
      throw new MongoServerError(2, `extra fields in $text: ${k}`);
    }
  }
  const options: TokenOptions = {
    language: typeof arg.$language === 'string' ? arg.$language : index.language,
    caseSensitive: arg.$caseSensitive === true,
    diacriticSensitive: arg.$diacriticSensitive === true,
  };
  const phrases: string[] = [];
  const negatedPhrases: string[] = [];
  let rest = arg.$search.replace(/(-?)"([^"]*)"/g, (_m, neg: string, phrase: string) => {
    (neg === '-' ? negatedPhrases : phrases).push(fold(phrase, options));
    return ' ';
  });
  const negated: string[] = [];
  rest = rest.replace(/(^|\s)-(\S+)/g, (_m, _sp: string, word: string) => {
    negated.push(...tokenize(word, options));
    return ' ';
  });
  const terms = tokenize(rest, options).concat(phrases.flatMap((p) => tokenize(p, options)));
  for (const p of negatedPhrases) negated.push(...tokenize(p, options));
  return { terms: [...new Set(terms)], negated, phrases, options };
}

/** The indexed strings of a document with their weights. */
function indexedText(doc: Doc, index: TextIndex): Array<{ text: string; weight: number }> {
  const out: Array<{ text: string; weight: number }> = [];
  const add = (v: Value, weight: number): void => {
    if (typeof v === 'string') out.push({ text: v, weight });
    else if (Array.isArray(v)) for (const e of v) add(e, weight);
  };
  for (const [path, weight] of index.fields) {
    for (const v of valuesAt(doc, path.split('.'))) add(v, weight);
  }
  if (index.wildcard) {
    const walk = (v: Value, path: string): void => {
      if (typeof v === 'string' && !index.fields.has(path)) out.push({ text: v, weight: index.wildcardWeight });
      else if (Array.isArray(v)) for (const e of v) walk(e, path);
      else if (isPlainObject(v)) for (const k of Object.keys(v)) walk(v[k], path === '' ? k : `${path}.${k}`);
    };
    walk(doc, '');
  }
  return out;
}

function valuesAt(v: Value, parts: string[]): Value[] {
  if (parts.length === 0) return [v];
  if (Array.isArray(v)) return v.flatMap((e) => valuesAt(e, parts));
  if (!isPlainObject(v) || !hasOwn(v, parts[0])) return [];
  return valuesAt(v[parts[0]], parts.slice(1));
}

/** mongod's per-field score: weight × Σ term frequency × (0.5 × count / tokens + 0.5). */
function scoreOf(doc: Doc, index: TextIndex, s: Search): number | undefined {
  const language =
    typeof doc[index.languageOverride] === 'string' ? String(doc[index.languageOverride]) : s.options.language;
  const options = { ...s.options, language };
  let score = 0;
  let matched = false;
  const texts = indexedText(doc, index);
  for (const { text, weight } of texts) {
    const tokens = tokenize(text, options);
    if (s.negated.some((n) => tokens.includes(n))) return undefined;
    const counts = new Map<string, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const term of s.terms) {
      const c = counts.get(term);
      if (c === undefined) continue;
      matched = true;
      score += weight * c * (0.5 * (c / tokens.length) + 0.5);
    }
  }
  if (!matched) return undefined;
  const folded = texts.map((t) => fold(t.text, s.options));
  if (!s.phrases.every((p) => folded.some((t) => t.includes(p)))) return undefined;
  return score;
}

/** Longest term an index entry holds; longer terms are cut (lookups cut the same way: a superset). */
const MAX_INDEXED_TERM = 64;

function indexedTerm(term: string): string {
  return [...term].slice(0, MAX_INDEXED_TERM).join('');
}

/**
 * The distinct terms a text index holds for a document (its postings): each indexed string
 * tokenised as `$text` tokenises it without case or diacritic sensitivity, in the document's
 * language (its language override field) or the index's default.
 */
export function indexTermsOf(doc: Doc, index: TextIndex): string[] {
  const language =
    typeof doc[index.languageOverride] === 'string' ? String(doc[index.languageOverride]) : index.language;
  const options: TokenOptions = { language, caseSensitive: false, diacriticSensitive: false };
  const terms = new Set<string>();
  for (const { text } of indexedText(doc, index)) for (const t of tokenize(text, options)) terms.add(indexedTerm(t));
  return [...terms];
}

/**
 * The terms whose postings hold every document a `$text` search can match (terms are OR-ed;
 * phrases and negations are checked on the documents), or undefined when the postings cannot
 * answer: a case- or diacritic-sensitive search, or a $language other than the index's (the
 * documents would be tokenised differently from their postings).
 */
export function lookupTerms(arg: Value, index: TextIndex): string[] | undefined {
  const search = parseSearch(arg, index);
  const o = search.options;
  if (o.caseSensitive || o.diacriticSensitive || o.language !== index.language) return undefined;
  return [...new Set(search.terms.map(indexedTerm))];
}

/** A `$text` predicate over documents; each matching document gets its {$meta: 'textScore'}. */
export function compileText(arg: Value, index: TextIndex | undefined): (doc: Doc) => boolean {
  if (index === undefined) throw new MongoServerError(27, 'text index required for $text query');
  const search = parseSearch(arg, index);
  return (doc) => {
    const score = scoreOf(doc, index, search);
    if (score === undefined) return false;
    setMeta(doc, 'textScore', score);
    return true;
  };
}
