/**
 * A quick way through well-formed CSV text, for the reader's options (src/node/csv.ts): a
 * record without a quote is one `split`; a quoted field is read to its closing quote. It gives
 * exactly the records csv-parse gives with those options — a single separator, one kind of line
 * break, no empty line skipped, any number of cells a row, a quote inside an unquoted cell kept
 * as written — and declines (returning false before handing over any record) whenever the text
 * holds anything csv-parse might judge otherwise: a quoted field not closed, or closed and then
 * followed by anything but a separator or a line break. The reader then parses with csv-parse,
 * which gives its own error. A property test (test/node/csv-split.test.ts) compares the two on
 * random text.
 */

const QUOTE = '"';

/**
 * Hands each record of `text` (a byte order mark first is skipped) to `onRecord`, and returns
 * true; or returns false, having handed none, when csv-parse must judge the text.
 */
export function splitRecords(
  text: string,
  separator: string,
  lineBreak: string,
  onRecord: (cells: string[]) => void,
): boolean {
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Quotes anywhere: a dry run first, so nothing is handed over from text that is declined.
  if (text.indexOf(QUOTE, from) >= 0 && !walk(text, from, separator, lineBreak, null)) return false;
  walk(text, from, separator, lineBreak, onRecord);
  return true;
}

function walk(
  text: string,
  from: number,
  sep: string,
  eol: string,
  onRecord: ((cells: string[]) => void) | null,
): boolean {
  const n = text.length;
  let pos = from;
  // The next quote at or after `pos`, searched again only once `pos` has passed it (a search
  // per line would read the rest of the text each time).
  let quote = -1;
  // Likewise the next separator and line break inside records with quotes, field by field.
  let nextSep = -1;
  let nextEol = -1;
  const sepAt = (from: number) => {
    if (nextSep < from && nextSep !== n) {
      nextSep = text.indexOf(sep, from);
      if (nextSep < 0) nextSep = n;
    }
    return nextSep;
  };
  const eolAt = (from: number) => {
    if (nextEol < from && nextEol !== n) {
      nextEol = text.indexOf(eol, from);
      if (nextEol < 0) nextEol = n;
    }
    return nextEol;
  };
  while (pos < n) {
    let end = text.indexOf(eol, pos);
    if (end < 0) end = n;
    if (quote < pos && quote !== n) {
      quote = text.indexOf(QUOTE, pos);
      if (quote < 0) quote = n;
    }
    if (quote >= end) {
      // The usual record: no quote before its line break.
      if (onRecord) onRecord(text.slice(pos, end).split(sep));
      pos = end + eol.length;
      continue;
    }
    // A record with a quote: field by field (a quoted field may hold separators and breaks).
    const cells: string[] = [];
    for (;;) {
      if (text.charCodeAt(pos) === 0x22) {
        let value = "";
        let at = pos + 1;
        let close: number;
        for (;;) {
          close = text.indexOf(QUOTE, at);
          if (close < 0) return false; // not closed: csv-parse's error
          if (text.charCodeAt(close + 1) === 0x22) {
            value += text.slice(at, close + 1); // "" is one quote
            at = close + 2;
            continue;
          }
          value += text.slice(at, close);
          break;
        }
        cells.push(value);
        const after = close + 1;
        if (after === n) {
          pos = n;
          break;
        }
        if (text.startsWith(sep, after)) {
          pos = after + sep.length;
          continue;
        }
        if (text.startsWith(eol, after)) {
          pos = after + eol.length;
          break;
        }
        return false; // text after a closing quote: csv-parse's error
      }
      // An unquoted field: to the next separator or line break; a quote in it is kept.
      const lineEnd = eolAt(pos);
      const stop = Math.min(sepAt(pos), lineEnd);
      cells.push(text.slice(pos, stop));
      if (stop === lineEnd) {
        pos = stop === n ? n : stop + eol.length;
        break;
      }
      pos = stop + sep.length;
    }
    if (onRecord) onRecord(cells);
  }
  return true;
}
