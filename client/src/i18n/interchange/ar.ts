// العربية لتنزيلات Word/Excel واستيراد نموذج التعليقات. Keys left out fall back to English.
import type { InterchangeMessages } from './en.ts';

export const interchangeAr: Partial<InterchangeMessages> = {
  'word.title': 'Word وExcel',
  'word.revisionDocx': 'تنزيل المراجعة {sequence} بصيغة Word ‏(.docx)',
  'word.trackedDocx': 'تنزيل مع علامات المراجعة (.docx)',
  'word.importComments': 'استيراد التعليقات من نموذج التعليقات',
  'word.reportDocx': 'التقرير النهائي بصيغة Word ‏(.docx)',
  'word.tableXlsx': 'نموذج التعليقات (.xlsx)',
  'import.title': 'استيراد التعليقات من نموذج التعليقات',
  'import.back': 'العودة إلى الوثيقة',
  'import.file': 'ملف النموذج',
  'import.preview': 'معاينة',
  'import.row': 'الصف',
  'import.clause': 'البند',
  'import.comment': 'التعليق',
  'import.skip': 'استبعاد',
};
