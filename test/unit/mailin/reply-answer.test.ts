// Agreeing or objecting to a proposed disposition by mail, in the six languages: the first words
// decide, and the mails name the reader's word beside the English one.
import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../../server/modules/mailin/reply-targets.ts';
import { translate } from '../../../server/lib/i18n.ts';

describe('an answer to a proposed disposition', () => {
  it.each([
    ['agree', 'agree', ''],
    ['Agreed, thanks.', 'agree', 'thanks.'],
    ['OK', 'agree', ''],
    ['D’accord, merci.', 'agree', 'merci.'],
    ["d'accord", 'agree', ''],
    ['De acuerdo.', 'agree', ''],
    ['Согласен', 'agree', ''],
    ['同意。', 'agree', ''],
    ['موافق، شكرا', 'agree', 'شكرا'],
    ['Object. Tamper resistance is in scope.', 'object', 'Tamper resistance is in scope.'],
    ['object\n\nThe clause says otherwise.', 'object', 'The clause says otherwise.'],
    ['Pas d’accord : la clause 7.1 le couvre.', 'object', 'la clause 7.1 le couvre.'],
    ['Objection, voir 7.1', 'object', 'voir 7.1'],
    ['No estoy de acuerdo: falta contexto.', 'object', 'falta contexto.'],
    ['Objeción: falta contexto.', 'object', 'falta contexto.'],
    ['Не согласен: нужно уточнить.', 'object', 'нужно уточнить.'],
    ['Возражаю. Нужно уточнить.', 'object', 'Нужно уточнить.'],
    ['不同意，理由如下。', 'object', '理由如下。'],
    ['反对：范围不对。', 'object', '范围不对。'],
    ['غير موافق: السبب كذا', 'object', 'السبب كذا'],
    ['اعتراض: السبب كذا', 'object', 'السبب كذا'],
  ])('%j is %s with the reasons %j', (text, response, reasons) => {
    expect(readAnswer(text)).toEqual({ response, text: reasons });
  });

  it.each(['Let me think about it.', 'Not sure yet.', 'Nothing to add', 'Okey-dokey', 'Objectively this is fine', 'Sinon, rien', 'Данные верны', ''])(
    '%j is neither',
    (text) => {
      expect(readAnswer(text)).toBeNull();
    },
  );

  it("names the reader's own words in each language, and they are read as answers", () => {
    const words: Record<string, [string, string]> = {
      fr: ['d’accord', 'objection'],
      es: ['de acuerdo', 'objeción'],
      ru: ['согласен', 'возражаю'],
      zh: ['同意', '反对'],
      ar: ['موافق', 'اعتراض'],
    };
    for (const [locale, [agree, object]] of Object.entries(words)) {
      const howTo = translate(locale as never, 'emails', 'replyHowTo.disposition_response', { lead: '' });
      expect(howTo, locale).toContain(agree);
      expect(howTo, locale).toContain(object);
      expect(howTo, locale).toContain('agree');
      expect(readAnswer(agree)?.response, locale).toBe('agree');
      expect(readAnswer(`${object} ...`)?.response, locale).toBe('object');
    }
  });
});
