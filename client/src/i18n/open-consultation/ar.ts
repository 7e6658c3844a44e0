// العربية لصفحة المشاورة العامة. Keys left out fall back to English.
import type { OpenConsultationMessages } from './en.ts';

export const openConsultationAr: Partial<OpenConsultationMessages> = {
  'oc.kicker': 'مشاورة عامة من {group}',
  'oc.deadline': 'إغلاق التعليقات',
  'oc.howTo': 'كيفية المشاركة',
  'oc.draft': 'المشروع، بنداً بنداً',
  'oc.questions': 'الأسئلة',
  'oc.published': 'التعليقات المنشورة',
  'oc.email': 'عنوان البريد الإلكتروني',
  'oc.sendLink': 'أرسل لي الرابط',
  'oc.name': 'الاسم',
  'oc.organisation': 'المنظمة',
  'oc.stakeholderGroup': 'فئة أصحاب المصلحة',
  'oc.country': 'البلد أو الاقتصاد',
  'oc.region': 'المنطقة',
  'oc.postComment': 'إرسال التعليق',
  'oc.saveAnswers': 'حفظ إجاباتي',
};
