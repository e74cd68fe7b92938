/** The quick CSV split against csv-parse with the reader's options: on random text, whenever
 * it takes the text it gives exactly csv-parse's records (and csv-parse accepts the text);
 * when it declines, it has handed over nothing. */
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvOptions, type Separator } from "../../src/node/csv.js";
import { splitRecords } from "../../src/node/csv-split.js";

/** The quick split and csv-parse, with the reader's own options, on `text`. */
function both(text: string, separator: Separator, lineBreak: string) {
  const got: string[][] = [];
  const taken = splitRecords(text, separator, lineBreak, (cells) => got.push(cells));
  let expected: string[][] | Error;
  try {
    expected = parse(Buffer.from(text), csvOptions(lineBreak, separator)) as string[][];
  } catch (e) {
    expected = e as Error;
  }
  return { taken, got, expected };
}

describe("splitRecords", () => {
  it("gives csv-parse's records whenever it takes the text, and nothing when it declines", () => {
    const cell = fc.oneof(
      fc.constantFrom("", "a", "bc", " d ", "é", 'x"y', "1,5", "'=A1"),
      fc.stringMatching(/^[a-c" ,;\t]{0,4}$/),
      fc.stringMatching(/^[a-c,;\n\r ]{0,5}$/).map((s) => `"${s}"`),
      fc.stringMatching(/^[a-c"]{0,4}$/).map((s) => `"${s.replace(/"/g, '""')}"`),
    );
    let quotedTaken = 0; // the comparison must reach quoted cells, not only plain ones
    fc.assert(
      fc.property(
        fc.constantFrom(",", ";", "\t", "|"),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        (sep, eol, rows, bom, finalBreak) => {
          // Only texts whose line breaks are all of the one kind (what the reader hands over).
          const text =
            (bom ? "\uFEFF" : "") +
            rows.map((r) => r.join(sep)).join(eol) +
            (finalBreak && rows.length ? eol : "");
          const others = ["\n", "\r\n", "\r"].filter((b) => b !== eol);
          const bare = text.split(eol).join("");
          if (
            others.some((b) => bare.includes(b)) ||
            (eol === "\r\n" && /\r(?!\n)|(?<!\r)\n/.test(text))
          )
            return;
          const { taken, got, expected } = both(text, sep, eol);
          if (taken) {
            if (text.includes('"')) quotedTaken++;
            expect(expected).not.toBeInstanceOf(Error);
            expect(got).toEqual(expected);
          } else expect(got).toEqual([]);
        },
      ),
      { numRuns: 3000 },
    );
    expect(quotedTaken).toBeGreaterThan(300);
  });

  it("takes ordinary files: quoted cells with separators, quotes and line breaks, a final line or none", () => {
    for (const text of [
      'a,b\n1,"x,y"\n"he said ""hi""",2\n',
      'a,b\r\n"line\r\nbreak",3\r\n',
      "a;b\n1;2,5\n3;",
      '\uFEFFid\n"é"\n',
      "",
      "\n\n",
      'a,b"c,d"e\n',
    ]) {
      const eol = text.includes("\r\n") ? "\r\n" : "\n";
      const sep = text.includes(";") ? ";" : ",";
      const r = both(text, sep, eol);
      expect(r.taken).toBe(true);
      expect(r.got).toEqual(r.expected);
    }
  });

  it("declines, handing over nothing, an unclosed quote (csv-parse's error) and text after a closing quote (csv-parse's call)", () => {
    const open = both('a\n"open\n', ",", "\n");
    expect([open.taken, open.got]).toEqual([false, []]);
    expect(open.expected).toBeInstanceOf(Error);
    const after = both('a\n"x"y,1\n', ",", "\n");
    expect([after.taken, after.got]).toEqual([false, []]);
  });
});
