// The pseudo-locale (en-XA), made from English when it loads: every Latin letter accented, every
// vowel doubled (about 30 % longer, as French and Russian run) and each message in brackets. Text
// on screen without accents was never translated (hard-coded); a bracket missing at either end was
// cut off by its box. Placeholders, plurals and selects keep their structure.
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ACCENTED = 'áƀçðéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ';
const VOWELS = new Set('aeiouyAEIOUY');

/** One string in pseudo form (without brackets). */
export function pseudoText(text: string): string {
  let out = '';
  for (const ch of text) {
    const at = PLAIN.indexOf(ch);
    if (at < 0) {
      out += ch;
      continue;
    }
    const accented = ACCENTED[at] as string;
    out += VOWELS.has(ch) ? accented + accented : accented;
  }
  return out;
}

function transform(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((el) => {
    if (el.type === TYPE.literal) return { ...el, value: pseudoText(el.value) };
    if (el.type === TYPE.select || el.type === TYPE.plural) {
      const options = Object.fromEntries(Object.entries(el.options).map(([k, o]) => [k, { ...o, value: transform(o.value) }]));
      return { ...el, options } as MessageFormatElement;
    }
    return el;
  });
}

/** The pseudo form of an English message, as a parsed message ready for intl-messageformat. */
export function pseudoMessage(source: string | MessageFormatElement[]): MessageFormatElement[] {
  const ast = typeof source === 'string' ? parse(source, { ignoreTag: true }) : source;
  return [{ type: TYPE.literal, value: '[' }, ...transform(ast), { type: TYPE.literal, value: ']' }];
}
