// العربية: الأخطاء التي يصادفها المشارك عادةً. Codes left out show the server's English sentence.
import type { ApiErrorCatalogue } from './en.ts';

export const apiErrorsAr: Partial<ApiErrorCatalogue> = {
  invalid_request: 'هذه القيمة غير صالحة.',
  'invalid_request.required': 'املأ هذا الحقل.',
  'invalid_request.too_short': 'اكتب {minimum} حرفًا على الأقل.',
  'invalid_request.too_long': 'اكتب {maximum} حرفًا على الأكثر.',
  'invalid_request.too_small': 'أدخل {minimum} أو أكثر.',
  'invalid_request.too_big': 'أدخل {maximum} أو أقل.',
  'invalid_request.email': 'أدخل عنوان بريد إلكتروني، مثل name@example.org.',
  'invalid_request.datetime': 'أدخل تاريخًا ووقتًا.',
  'invalid_request.format': 'هذه القيمة ليست بالشكل المتوقع.',
  'invalid_request.choice': 'اختر إحدى القيم المعروضة.',
  'invalid_request.type': 'املأ هذا الحقل بقيمة من النوع المطلوب.',
  invalid_json: 'تعذّرت قراءة الطلب؛ أعد تحميل الصفحة وحاول مرة أخرى.',

  unauthenticated: 'انتهت جلستك؛ سجّل الدخول مرة أخرى للمتابعة. لم يُفقد شيء مما كتبته.',
  csrf_token_invalid: 'هذه الصفحة لم تعد متوافقة مع جلستك؛ أعد تحميلها وحاول مرة أخرى. انسخ ما كتبته أولًا.',
  rate_limited: ['طلبات كثيرة جدًا؛ حاول مرة أخرى بعد {retryAfterSeconds} ثانية.', 'طلبات كثيرة جدًا؛ انتظر قليلًا ثم حاول مرة أخرى.'],
  // What a participant meets in a deadline rush: not their mistake, and nothing was stored.
  database_unavailable: [
    'تعذّر الوصول إلى قاعدة البيانات الآن؛ حاول مرة أخرى بعد {retryAfterSeconds} ثانية.',
    'تعذّر الوصول إلى قاعدة البيانات الآن؛ حاول مرة أخرى بعد بضع ثوانٍ.',
  ],
  server_shutting_down: 'يُعاد تشغيل الخادم؛ حاول مرة أخرى بعد لحظة.',
  server_busy: ['الخادم مشغول جدًا الآن؛ حاول مرة أخرى بعد {retryAfterSeconds} ثانية.', 'الخادم مشغول جدًا الآن؛ حاول مرة أخرى بعد بضع ثوانٍ.'],
  sign_in_link_used: 'استُخدم رابط تسجيل الدخول هذا من قبل. اطلب رابطًا جديدًا من صفحة تسجيل الدخول.',
  sign_in_link_expired: 'انتهت صلاحية رابط تسجيل الدخول هذا (الروابط صالحة لمدة 10 دقائق). اطلب رابطًا جديدًا من صفحة تسجيل الدخول.',
  sign_in_link_invalid: 'رابط تسجيل الدخول هذا غير صالح. اطلب رابطًا جديدًا من صفحة تسجيل الدخول.',

  forbidden: 'دورك في هذه المجموعة لا يسمح بذلك.',
  not_found: 'لم يُعثر على المطلوب.',
  internal_error: 'حدث خطأ من جهتنا وقد سُجّل. حاول مرة أخرى لاحقًا.',
  group_not_found: 'لم يُعثر على هذه المجموعة.',
  document_not_found: 'لم يُعثر على هذه الوثيقة.',
  revision_not_found: 'لم يُعثر على هذه المراجعة من الوثيقة.',
  clause_not_found: 'لم يُعثر على هذا البند في هذه المراجعة.',
  comment_not_found: 'لم يُعثر على هذا التعليق.',
  calendar_feed_not_found: 'ليس لديك رابط اشتراك في تقويم هذه المجموعة.',
  calendar_members_only: 'لا يشترك في تقويم هذه المجموعة إلا أعضاؤها.',

  comment_period_closed: 'أُغلقت فترة التعليقات في {closesAt, instant}؛ لم يُحفظ شيء.',
  comment_period_not_open: ['تُفتح التعليقات في {opensAt, instant}؛ لم يُحفظ شيء.', 'لم تُفتح فترة تعليقات على هذه المراجعة؛ لم يُحفظ شيء.'],
  comment_too_long: 'يمكن أن يتضمن التعليق {maxChars} حرفًا على الأكثر؛ وهذا التعليق يتضمن {length}.',
  quote_not_in_clause: 'النص المقتبس غير موجود في النص الذي تعلّق عليه؛ اقتبس الكلمات كما هي.',
  markdown_too_deep: 'يتداخل النص في الاقتباسات أو القوائم أو التنسيق أو الأقواس لأكثر من {maxDepth} مستوى، ولا يمكن عرضه؛ قلّل التداخل وأرسله من جديد.',
  comment_version_conflict: 'تغيّر التعليق منذ تحميله (الإصدار {version} الآن)؛ أعد تحميل الصفحة وعدّله من جديد.',
  comment_withdrawn: 'سُحب هذا التعليق.',
  not_comment_author: 'لا يعدّل التعليق إلا كاتبه.',

  disposition_version_conflict: 'غيّر أحدهم هذا التصرف في الأثناء؛ لم يُحفظ شيء. راجع التصرف الحالي وحاول مرة أخرى.',
  response_deadline_passed: 'انقضى الموعد النهائي للرد على هذا التصرف؛ لم يُحفظ شيء.',
  disposition_final: 'هذا التصرف نهائي ولم يعد من الممكن تغييره.',
  not_your_comment: 'لا يرد على التصرف في التعليق إلا صاحبه.',
  unclear_answer: 'لم يُسجَّل الرد: يجب أن يكون سطره الأول "agree" (موافق)، أو "object" (اعتراض) متبوعًا بالأسباب.',
  invalid_comment_type: 'لم يُسجَّل التعليق: يجب أن يكون سطر Type أحد general أو technical أو editorial.',
};
