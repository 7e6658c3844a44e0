// العربية لبرنامج العمل والمشاورات. Keys left out fall back to English.
import type { WorkprogMessages } from './en.ts';

export const workprogAr: Partial<WorkprogMessages> = {
  'wp.title': 'برنامج العمل',
  'wp.link': 'برنامج العمل والمشاورات',
  'wp.col.status': 'الحالة',
  'wp.col.title': 'العنوان',
  'wp.status.approved': 'تمت الموافقة',
  'wp.status.in_progress': 'قيد الإعداد',
  'wp.status.consultation': 'قيد المشاورة',
  'cons.title': 'المشاورات',
  'cons.form': 'استمارة الرد',
  'cons.submit': 'إرسال الردود',
  'cons.tally': 'الفرز',
  'cons.outcome.meets': 'يبلغ العتبة',
  'cons.outcome.fails': 'لا يبلغ العتبة',
  'wp.form.newTitle': 'بند عمل جديد',
  'wp.form.edit': 'تعديل بند العمل',
  'wp.form.save': 'حفظ التغييرات',
  'cons.form.issueTitle': 'إصدار مشاورة',
  'cons.form.issue': 'إصدار المشاورة',
  'cons.form.reference': 'المرجع',
  'cons.form.subject': 'الموضوع',
  'cons.form.focalPoints': 'جهات الاتصال',
  'cons.form.addAdministration': 'إضافة إدارة',
  'cons.form.invite': 'دعوة',
};
