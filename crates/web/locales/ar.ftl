site-name = منبر
site-tagline = منصة تنسيق لشبكات منظمات المجتمع المدني
skip-to-content = انتقل إلى المحتوى
nav-directory = الدليل
nav-people = الأشخاص
nav-sectors = القطاعات
nav-areas = المناطق
nav-sign-in = تسجيل الدخول
nav-sign-out = تسجيل الخروج
nav-new-org = منظمة جديدة
nav-languages = اللغة
signed-in-as = مسجّل باسم { $email }

directory-title = دليل الأعضاء
directory-filter-q = الاسم أو الاختصار
directory-filter-kind = النوع
directory-filter-sector = القطاع
directory-filter-area = المنطقة
directory-filter-status = العضوية
filter-any = الكل
filter-apply = تصفية
filter-clear = مسح
directory-count = { $count ->
    [zero] لا توجد منظمات
    [one] منظمة واحدة
    [two] منظمتان
    [few] { $count } منظمات
    [many] { $count } منظمة
   *[other] { $count } منظمة
}
directory-empty = لا توجد منظمة تطابق هذه المعايير.
directory-export = تنزيل (HXL CSV)
col-name = الاسم
col-acronym = الاختصار
col-kind = النوع
col-status = العضوية
col-sectors = القطاعات
col-areas = مناطق العمل
page-prev = السابق
page-next = التالي
page-of = الصفحة { $page } من { $pages }

kind-member = منظمة عضو
kind-partner_body = جهة شريكة
kind-ingo = منظمة دولية غير حكومية
kind-un_agency = وكالة أممية
kind-donor = جهة مانحة
kind-authority = جهة رسمية
status-applicant = طلب عضوية
status-member = عضو
status-suspended = عضوية معلّقة
status-former = عضو سابق
status-not_applicable = غير عضو

map-title = المنظمات الأعضاء حسب المنطقة
map-members = { $count ->
    [zero] لا توجد منظمات أعضاء
    [one] منظمة عضو واحدة
    [two] منظمتان عضوان
    [few] { $count } منظمات أعضاء
    [many] { $count } منظمة عضواً
   *[other] { $count } منظمة عضو
}
map-none = لا توجد منظمات أعضاء

field-acronym = الاختصار
field-name_ar = الاسم بالعربية
field-name_en = الاسم بالإنجليزية
field-name_tr = الاسم بالتركية
field-kind = النوع
field-membership_status = حالة العضوية
field-founding_year = سنة التأسيس
field-registration_country = بلد الترخيص
field-registration_number = رقم الترخيص
field-registration_date = تاريخ الترخيص
field-hq_area = المقر الرئيسي
field-website = الموقع الإلكتروني
field-email = البريد الإلكتروني
field-phone = الهاتف
field-description_ar = الوصف بالعربية
field-description_en = الوصف بالإنجليزية
field-description_tr = الوصف بالتركية
field-sectors = القطاعات
field-areas = مناطق العمل
field-logo = الشعار (PNG أو JPEG أو WebP، حتى 2 ميغابايت)
field-none = لا شيء
hint-names = يلزم اسم واحد على الأقل.
hint-date = سنة-شهر-يوم، مثل ⁦2024-03-15⁩

org-new-title = منظمة جديدة
org-edit-title = تعديل { $name }
org-save = حفظ
org-cancel = إلغاء
org-edit = تعديل
org-delete = حذف
org-delete-confirm = حذف هذه المنظمة
org-history = سجل العضوية
org-history-since = منذ { $date }
org-people = الأشخاص
org-registration = الترخيص
org-contact = التواصل
org-about = نبذة
org-logo-upload = رفع الشعار
org-founded = تأسست عام { $year }
form-errors-summary = بعض الحقول تحتاج إلى تصحيح؛ انظر الرسائل بجانبها.

conflict-title = عدّل شخص آخر هذه المنظمة
conflict-explain = أثناء تعديلك حفظ شخص آخر هذه المنظمة (النسخة { $current }). لم يُستبدل شيء. قارن نسختك بالنسخة المحفوظة ثم عدّل من جديد.
conflict-yours = تعديلاتك (غير محفوظة)
conflict-theirs = المحفوظ الآن
conflict-reload = تعديل النسخة المحفوظة

signin-title = تسجيل الدخول
signin-email = البريد الإلكتروني
signin-password = كلمة المرور
signin-submit = دخول
signin-failed = البريد الإلكتروني أو كلمة المرور غير صحيحة.
signin-throttled = محاولات فاشلة كثيرة. انتظر { $seconds } ثانية ثم حاول مجددًا.

person-affiliations = الانتماءات
person-committees = اللجان
person-contact-hidden = تظهر بيانات التواصل للأعضاء بعد تسجيل الدخول.
visibility-public = للعموم
visibility-members = للأعضاء
visibility-partners = الأعضاء والشركاء
visibility-coordinators = للمنسقين
visibility-group = مجموعة: { $name }

sectors-title = القطاعات
sector-custom = خاص بالشبكة
area-orgs = المنظمات العاملة هنا
area-level-0 = دولة
area-level-1 = منطقة من المستوى الأول
area-level-2 = منطقة من المستوى الثاني
area-level-3 = منطقة من المستوى الثالث
area-children = المناطق التابعة
areas-title = المناطق

error-title = حدث خطأ
error-not_found = هذه الصفحة غير موجودة أو حُذفت.
error-forbidden = لا يسمح حسابك بهذا الإجراء.
error-unauthorized = يرجى تسجيل الدخول أولاً.
error-internal = حدث خطأ من جهتنا وسُجّل؛ يرجى المحاولة مرة أخرى.
error-bad_request = تعذّر فهم الطلب.
error-back = العودة إلى الدليل

err-name_required = الاسم مطلوب.
err-name_too_long = 200 حرف على الأكثر وفي سطر واحد.
err-text_has_control_chars = يحتوي على محارف تحكم غير مرئية.
err-acronym_invalid = من 1 إلى 20 حرفاً أو رقماً دون مسافات.
err-acronym_taken = هذا الاختصار مستخدم لمنظمة أخرى.
err-email_invalid = هذا ليس عنوان بريد إلكتروني صحيحاً.
err-url_invalid = يبدأ عنوان الموقع بـ https:// أو http://.
err-phone_invalid = أرقام ومسافات و + - ( ) فقط، و5 أرقام على الأقل.
err-year_invalid = سنة بين 1850 و2100.
err-date_invalid = تاريخ غير صحيح (سنة-شهر-يوم).
err-area_code_invalid = رمز منطقة غير صحيح.
err-area_unknown = لا توجد منطقة بهذا الرمز أو الاسم.
err-sector_code_invalid = رمز قطاع غير صحيح.
err-sector_unknown = لا يوجد قطاع بهذا الرمز أو الاسم.
err-kind_invalid = اختر النوع.
err-status_invalid = اختر حالة العضوية.
err-text_too_long = 10000 حرف على الأكثر.
err-logo_not_an_image = الملف ليس صورة PNG أو JPEG أو WebP.
err-logo_too_large = حجم الصورة أكبر من 2 ميغابايت.
err-csrf = انتهت صلاحية النموذج. يرجى إرساله مرة أخرى.
err-org_unknown = لا توجد منظمة كهذه.
err-visibility_invalid = اختر من يمكنه الاطلاع.
err-role_invalid = دور غير معروف.
err-password_too_short = 12 حرفاً على الأقل.
err-email_taken = يوجد حساب بهذا البريد الإلكتروني.
err-conflict = عدّل شخص آخر هذا السجل بعد أن قرأته.
err-malformed_json = محتوى الطلب ليس JSON صحيحاً.
err-unknown_field = في محتوى الطلب حقل لا تعرفه هذه الواجهة.
err-unsupported_media_type = أرسل JSON مع Content-Type: application/json.
err-not_found = غير موجود.
err-forbidden = غير مسموح لدورك.
err-unauthorized = سجّل الدخول أو أرسل رمز وصول أولاً.
err-internal = خطأ داخلي.
err-bad_request = طلب غير صحيح.
err-version_required = أرسل رقم النسخة التي قرأتها في ترويسة If-Match.
err-invalid_filter = أحد المرشحات يحمل قيمة لا تعرفها هذه الواجهة.
err-csrf_header = أرسل ترويسة X-CSRF-Token مع طلبات الكتابة.
err-sector_code_taken = هذا الرمز مستخدم لقطاع آخر.
api-title = واجهة البرمجة
api-intro = واجهة JSON، يصفها مستند OpenAPI 3.1:
api-try = فتح
err-acronym_repeated_in_file = هذا الاختصار موجود في سطر سابق من الملف نفسه.
err-area_ambiguous = هناك أكثر من منطقة بهذا الاسم؛ استخدم الرمز.
err-sector_ambiguous = هناك أكثر من قطاع بهذا الاسم؛ استخدم الرمز.
err-org_required_for_role = مسؤولو التنسيق والأعضاء ينتمون إلى منظمة.
import-title = استيراد إلى الدليل
import-intro = ارفع قائمة الأعضاء ملفَّ CSV موسوماً بوسوم HXL (ملف التنزيل من الدليل مثال عليه). تُطابَق المنظمات بالاختصار: تُحدَّث الموجودة وتُنشأ الجديدة. لا يُكتب شيء إذا كان في أي سطر خطأ، إلا إذا اخترت استيراد الأسطر السليمة.
import-file = الملف (CSV أو إكسل فيه سطر الوسوم)
import-dry-run = تحقق فقط دون كتابة
import-valid-only = استورد الأسطر السليمة وتجاوز غيرها
import-submit = استيراد
import-result-written = تم الاستيراد: أُنشئت { $created } وحُدّثت { $updated }.
import-result-dry = تم التحقق: ستُنشأ { $created } وتُحدَّث { $updated }. لم يُكتب شيء.
import-result-refused = لم يُكتب شيء: المشكلات ({ $count }) أدناه. صحّح الملف وارفعه من جديد.
import-col-row = السطر
import-col-column = العمود
import-col-value = القيمة
import-col-reason = السبب
import-link = استيراد من ملف
person-new-title = شخص جديد
person-edit-title = تعديل { $name }
person-add = إضافة شخص
person-delete = حذف هذا الشخص
person-remove-affiliation = إزالة
person-names-hint = يلزم الاسم بالعربية أو بالإنجليزية. لا تظهر بيانات التواصل إلا لمن تسمح لهم إعدادات ظهورها.
field-title_ar = الصفة بالعربية
field-title_en = الصفة بالإنجليزية
field-title_tr = الصفة بالتركية
field-from = من
field-to = حتى
field-committees = اللجان (لجنة في كل سطر)
field-email_visibility = من يرى البريد الإلكتروني
field-phone_visibility = من يرى الهاتف
field-org_id = المنظمة
err-area_parent_unknown = المنطقة الأعلى من هذه غير موجودة في الدليل الجغرافي (استوردها أولاً أو في الملف نفسه).
directory-export-xlsx = إكسل
import-what = محتوى الملف
import-what-organisations = منظمات
import-what-people = أشخاص
import-what-areas = مناطق (جدول رموز أوتشا)
conflict-title-record = عدّل شخص آخر هذا السجل
conflict-explain-record = أثناء تعديلك حفظ شخص آخر هذا السجل (النسخة { $current }). لم يُستبدل شيء. قارن نسختك بالنسخة المحفوظة ثم عدّل من جديد.
search-title = البحث
search-type = النوع
search-submit = ابحث
search-empty = اكتب اسماً أو اختصاراً أو بضع كلمات، بالعربية أو التركية أو الإنجليزية.
search-none = لم نجد شيئاً. جرّب كلمات أقل أو تهجئة أخرى.
search-count = { $count ->
    [zero] لا نتائج
    [one] نتيجة واحدة
    [two] نتيجتان
    [few] { $count } نتائج
    [many] { $count } نتيجة
   *[other] { $count } نتيجة
}
search-kind-organisation = منظمة
search-kind-person = شخص
search-kind-sector = قطاع
search-kind-area = منطقة
err-search_unavailable = البحث غير متاح الآن؛ الدليل متاح.
typeahead-hint = اكتب لتضييق القائمة
sector-new = قطاع جديد
sector-field-code = الرمز
sector-field-name_ar = الاسم بالعربية
sector-field-name_en = الاسم بالإنجليزية
sector-field-name_tr = الاسم بالتركية
sector-code-hint = أحرف لاتينية صغيرة وأرقام و _ مثل livelihoods

## 4W
err-period_invalid = الشهر بصيغة سنة-شهر، مثل 2026-03.
err-activity_status_invalid = مخطط له، أو قيد التنفيذ، أو منجز، أو متوقف.
err-modality_invalid = عيني، أو نقدي، أو خدمة.
err-count_invalid = عدد صحيح من الأشخاص، مثل ٣٥٠ أو 1,250.
err-count_negative = لا يمكن أن يكون سالباً.
err-count_required = أدخل المجموع على الأقل.
err-total_mismatch = المجموع لا يساوي النساء + الرجال + الفتيات + الفتيان.
err-severity_invalid = الشدة من ١ إلى ٥.
err-end_before_start = تاريخ الانتهاء قبل تاريخ البدء.
err-org_ambiguous = أكثر من منظمة تحمل هذا الاسم؛ استخدم الاختصار.
err-reached_above_targeted = عدد الواصلين أكبر من المستهدفين: تحقق من الأرقام.
err-round_locked = أُرسل تقرير هذه الفترة؛ يجب أن يعيده المنسق قبل تعديله.
err-period_wrong = هذا الصف لفترة غير الفترة التي يجري استيرادها.
err-activity_duplicate = سبق أن أبلغت هذه المنظمة عن هذا النشاط (الفترة والقطاع والنوع والمنطقة والطريقة والمانح نفسها): عدّل ذلك النشاط.
err-activity_repeated_in_file = النشاط نفسه موجود في صف سابق من هذا الملف.
err-need_repeated_in_file = المنطقة والقطاع والفترة نفسها موجودة في صف سابق من هذا الملف.
err-round_move_invalid = لا يمكن نقل التقرير إلى هذه الحالة من حالته الحالية.

## 4W pages
nav-4w = من يفعل ماذا وأين
fw-title = من يفعل ماذا وأين
fw-activities = الأنشطة
fw-activity = النشاط
fw-add-activity = إضافة نشاط
fw-edit-activity = تعديل النشاط
fw-area = المنطقة
fw-area-code = رمز المنطقة
fw-sector = القطاع
fw-org = المنظمة
fw-period = الشهر
fw-status = الحالة
fw-women = نساء
fw-men = رجال
fw-girls = فتيات
fw-boys = فتيان
fw-total = المجموع
fw-people = الأشخاص
fw-targeted = المستهدفون
fw-reached = الواصلون
fw-pin = المحتاجون
fw-coverage = التغطية
fw-severity = الشدة
fw-gap = فجوة
fw-orgs = المنظمات
fw-comment = ملاحظة للمنظمة
fw-copy-forward = نسخ أنشطة الشهر الماضي
fw-delete = حذف
fw-donor = الجهة المانحة
fw-start = البداية
fw-end = النهاية
fw-modality = طريقة التقديم
fw-notes = ملاحظات
fw-households = الأسر الواصلة
fw-download-csv = CSV
fw-download-svg = SVG
fw-export-csv = تصدير الأنشطة (HXL CSV)
fw-export-xlsx = تصدير الأنشطة (Excel)
fw-empty = لا أنشطة ولا احتياجات مسجلة لهذه المرشحات.
fw-gaps-title = الفجوات
fw-gaps-hint = شدة ٤ أو ٥ وأقل من نصف المحتاجين تم الوصول إليهم.
fw-gaps-none = لا فجوات لهذه المرشحات.
fw-matrix-title = المناطق والقطاعات
fw-matrix-hint = الواصلون، ونسبة تغطية المحتاجين، والمنظمات الموجودة في كل محافظة وقطاع.
fw-map-title = التغطية حسب المحافظة
fw-trend-title = الواصلون حسب الشهر
fw-numbers = الأرقام
fw-import-title = رفع بيانات من يفعل ماذا وأين
fw-import-link = رفع ملف
fw-import-activities = الأنشطة
fw-import-needs = الاحتياجات
fw-import-intro = ملف Excel أو CSV أو JSON فيه صف من وسوم HXL (‎#org، ‎#sector، ‎#adm1، ‎#date+period، ‎#targeted، ‎#reached…)، أو عناوين أعمدة بالعربية أو التركية أو الإنجليزية يتعرف عليها منبر. يمكن كتابة المنظمات والمناطق والقطاعات برموزها أو بأسمائها. افحص الملف أولاً (لا يُكتب شيء)، ثم ارفعه مرة أخرى دون الفحص.
fw-import-mapping = الأعمدة المقروءة من العناوين
fw-import-missing = ينقص الملف أعمدة يحتاجها منبر: { $columns }.
fw-import-period = شهر التقرير
fw-import-period-hint = تُرفض صفوف أي شهر آخر؛ والصفوف التي لا شهر لها تُنسب إلى هذا الشهر.
fw-import-warnings = تنبيهات (استُوردت، لكن تحقق منها)
fw-report-title = التقرير الشهري
fw-report-link = الإبلاغ عن الأنشطة
fw-report-empty = لا أنشطة بعد لهذا الشهر.
fw-reporting-orgs = المنظمات المُبلِّغة
fw-rounds-title = جولة الإبلاغ
fw-rounds-link = مراجعة التقارير
fw-rounds-summary = تقارير هذا الشهر
fw-round-state = التقرير
fw-review = المراجعة
fw-submit = إرسال التقرير
fw-validate = اعتماد
fw-return = إعادة
fw-legend-0 = لا أرقام
fw-legend-1 = أقل من ٢٥٪
fw-legend-2 = ٢٥–٥٠٪
fw-legend-3 = ٥٠–٧٥٪
fw-legend-4 = ٧٥٪ فأكثر
fw-modality-in_kind = عيني
fw-modality-cash = نقدي
fw-modality-service = خدمة
fw-notice-saved = حُفظ.
fw-notice-deleted = حُذف.
fw-notice-copied = نُسخت أنشطة الشهر الماضي: حدّث أعداد الواصلين.
fw-notice-copied-none = لا شيء لنسخه من الشهر الماضي.
fw-notice-submitted = أُرسل التقرير إلى الأمانة.
fw-round-not_started = لم يبدأ
fw-round-draft = مسودة
fw-round-submitted = مُرسل
fw-round-validated = معتمد
fw-round-returned = مُعاد
fw-status-planned = مخطط له
fw-status-ongoing = قيد التنفيذ
fw-status-completed = منجز
fw-status-suspended = متوقف
fw-orgs-count = { $count ->
    [zero] لا منظمات
    [one] منظمة واحدة
    [two] منظمتان
    [few] { $count } منظمات
   *[other] { $count } منظمة
}
fw-template = نموذج Excel لهذا الشهر
fw-org-hint = الاختصار
fw-needs-title = المحتاجون
fw-needs-hint = يبقى آخر رقم لمنطقة وقطاع معتمداً في الأشهر التالية حتى يُسجَّل رقم أحدث.
fw-needs-none = لا احتياجات مسجلة لهذا الشهر.
fw-add-need = تسجيل المحتاجين
fw-source = المصدر
fw-import-changes = صفاً صفاً
fw-row-added = أُضيف
fw-row-changed = حدّث نشاطاً موجوداً
fw-row-will-add = سيُضاف
fw-row-will-change = سيحدّث نشاطاً موجوداً
fw-import-more = و{ $count } صفاً أخرى
err-column_unused = لا يقرأ منبر هذا العمود في بيانات من يفعل ماذا وأين؛ تُرك جانباً.
err-column_misspelled = لا يقرأ منبر هذا الوسم؛ هل قصدت الوسم بين القوسين؟ تُرك العمود جانباً.

## الحساب: الجلسات والرموز وكلمة المرور
account-title = حسابي
account-sessions = أين سجّلت دخولك
account-signed-in = تسجيل الدخول (UTC)
account-last-seen = آخر نشاط (UTC)
account-address = العنوان
account-browser = المتصفح
account-this-session = هذه الجلسة
account-revoke = إنهاء
account-revoked = أُلغي
account-never = أبدًا
account-session-revoked = انتهت الجلسة.
account-tokens = رموز الواجهة البرمجية الشخصية
account-tokens-help = يتيح الرمز لبرنامج أن يستخدم واجهة JSON باسمك: أرسله في الترويسة "Authorization: Bearer …". رمز القراءة لا يسمح إلا بالقراءة.
account-token-name = الغرض منه
account-token-scope = يسمح بـ
account-scope-read = القراءة فقط
account-scope-write = القراءة والكتابة
account-created = أُنشئ (UTC)
account-last-used = آخر استخدام (UTC)
account-token-create = إنشاء رمز
account-token-created = أُنشئ الرمز.
account-token-once = انسخه الآن: يُعرض هذه المرة فقط ولا يمكن عرضه مجددًا.
account-token-revoked = أُلغي الرمز.
account-password = تغيير كلمة المرور
account-password-current = كلمة المرور الحالية
account-password-new = كلمة المرور الجديدة
account-password-again = كلمة المرور الجديدة مرة أخرى
account-password-help = ‏12 حرفًا على الأقل ويصعب تخمينها: بضع كلمات لا رابط بينها خيار جيد. تنتهي كل الجلسات وتسجّل الدخول من جديد.
account-password-save = تغيير كلمة المرور
nav-account = حسابي
role-admin = مدير النظام
role-coordinator = منسّق
role-focal_point = جهة اتصال
role-member = عضو
role-partner = شريك
err-password_too_weak = كلمة المرور هذه سهلة التخمين: أضف بضع كلمات لا رابط بينها أو اجعلها أطول.
err-password_mismatch = كلمتا المرور الجديدتان مختلفتان.
err-password_current_wrong = كلمة المرور الحالية غير صحيحة.
err-token_name_invalid = أعطِ الرمز اسمًا لا يزيد على 100 حرف.
err-too_many_requests = طلبات كثيرة. انتظر قليلًا ثم حاول مجددًا.

## سجل التدقيق
audit-title = سجل التدقيق
nav-audit = التدقيق
audit-holds = سلسلة القيود سليمة: لم يُعدَّل أي قيد ولم يُحذف ولم يُدرج.
audit-broken = تم العبث بسجل التدقيق: { $problem }.
audit-user = المستخدم
audit-org = المنظمة (الاختصار)
audit-entity = السجل
audit-entity-id = رقم السجل
audit-from = من
audit-to = إلى
audit-export = تنزيل بصيغة CSV
audit-when = الوقت (UTC)
audit-via = عبر
audit-action = الإجراء
audit-before = قبل
audit-after = بعد
audit-changes = ما الذي تغيّر
audit-count = { $count ->
    [zero] لا قيود
    [one] قيد واحد
    [two] قيدان
    [few] { $count } قيود
   *[other] { $count } قيدًا
}

## الدعوات واستعادة كلمة المرور
invite-title = دعوة شخص
nav-invite = دعوة
invite-role = الدور
invite-org = المنظمة
invite-org-help = للأعضاء وجهات الاتصال.
invite-lang = لغة الدعوة
invite-submit = إرسال الدعوة
invite-sent = الدعوة في طريقها إلى { $email }. يعمل الرابط مرة واحدة خلال أسبوع.
invite-no-mail = البريد الإلكتروني غير مُعدّ على هذا الخادم: سلّم هذا الرابط للشخص بنفسك. يعمل مرة واحدة خلال أسبوع.
invitation-title = إعداد حسابك
link-dead = استُخدم هذا الرابط أو انتهت صلاحيته. اطلب رابطًا جديدًا.
set-password-submit = حفظ كلمة المرور
signin-forgot = نسيت كلمة المرور؟
reset-title = اختيار كلمة مرور جديدة
reset-help = اكتب عنوان البريد الإلكتروني لحسابك: نرسل إليه رابطًا لاختيار كلمة مرور جديدة. يعمل مرة واحدة خلال ساعة.
reset-submit = إرسال الرابط
reset-sent = إن كان لهذا العنوان حساب فالرابط في طريقه إليه. انظر في بريدك وفي مجلد الرسائل غير المرغوبة.
reset-no-mail = البريد الإلكتروني غير مُعدّ على هذا الخادم: اطلب من أحد المنسّقين تعيين كلمة مرور جديدة لك.
mail-invite-subject = دعوتك إلى منبر
mail-invite-body = يدعوك { $inviter } إلى منبر بصفة { $role }.
    
    افتح هذا الرابط لاختيار كلمة المرور (يعمل مرة واحدة خلال أسبوع):
    { $link }
    
    إن لم تكن تنتظر هذه الرسالة فتجاهلها.
mail-reset-subject = اختيار كلمة مرور جديدة لمنبر
mail-reset-body = طلب أحدهم تغيير كلمة مرور حسابك في منبر.
    
    افتح هذا الرابط لاختيار كلمة جديدة (يعمل مرة واحدة خلال ساعة):
    { $link }
    
    إن لم تكن أنت فتجاهل هذه الرسالة: تبقى كلمة مرورك كما هي.
err-reference_unknown = يشير هذا إلى سجل غير موجود.

## التحقق بخطوتين
account-2fa = التحقق بخطوتين
account-2fa-help = اطلب عند الدخول رمزًا من تطبيق مصادقة على هاتفك إضافة إلى كلمة المرور (أي تطبيق يقرأ رموز QR من نوع TOTP مثل FreeOTP أو Aegis أو Google Authenticator). عندها لا تكفي كلمة مرور مسروقة.
account-2fa-start = إعداده
account-2fa-step-scan = امسح هذا الرمز بالتطبيق:
account-2fa-step-key = أو اكتب فيه هذا المفتاح:
account-2fa-step-code = ثم اكتب الأرقام الستة التي يعرضها التطبيق:
account-2fa-confirm = تفعيل
account-2fa-is-on = التحقق بخطوتين مفعّل: يُطلب رمز من تطبيقك عند كل دخول.
account-2fa-on = فُعّل التحقق بخطوتين.
account-2fa-turn-off = إيقافه
account-2fa-must = يتطلب دورك الدخول برمز إضافة إلى كلمة المرور. أعدّه للمتابعة.
account-2fa-roles = الأدوار التي يلزمها التحقق بخطوتين
account-2fa-roles-save = حفظ
account-2fa-roles-saved = حُفظ: تُعدّ حسابات هذه الأدوار التحقق في خطوتها التالية.
signin-code = الرمز من التطبيق
signin-code-help = كلمة المرور صحيحة. اكتب الآن الأرقام الستة التي يعرضها تطبيق المصادقة لمنبر.
signin-code-failed = الرمز غير صحيح أو سبق استخدامه. جرّب الرمز التالي.
err-code_wrong = الرمز غير صحيح. اكتب الأرقام الستة التي يعرضها التطبيق الآن.
err-two_factor_not_started = أعدّ التحقق بخطوتين أولًا.
err-two_factor_already_on = التحقق بخطوتين مفعّل بالفعل.
err-two_factor_required = يتطلب دورك التحقق بخطوتين: أعدّه أولًا.

## المجموعات
groups-title = المجموعات
nav-groups = المجموعات
groups-help = يمكن إظهار بيانات الاتصال لمجموعة واحدة فقط (وللأمانة العامة): فريق عمل أو لجنة.
groups-empty = لا أحد بعد.
groups-remove = إزالة
groups-add = إضافة
groups-new = مجموعة جديدة
groups-name = الاسم
groups-create = إنشاء المجموعة
err-group_name_invalid = أعطِ المجموعة اسمًا لا يزيد على 100 حرف.
err-group_name_taken = توجد مجموعة بهذا الاسم.
err-group_unknown = لا توجد مجموعة كهذه.
err-account_unknown = لا يوجد حساب بهذا العنوان.

## Endorsement
err-share_invalid = نسبة بين 0 و100٪، مثل 50 أو 66.67٪ أو 2/3.
err-window_invalid = يجب أن يأتي موعد الإغلاق بعد موعد الفتح.
err-endorsement_not_open = لا تُقبل الإجابات بعد: لم تبدأ فترة التأييد.
err-endorsement_closed = انتهت فترة التأييد: لم تعد الإجابات تُقبل.

# meetings, minutes, action items, proposals and endorsement
nav-meetings = الاجتماعات
nav-proposals = المقترحات
filter-all = الكل
home-title = عملي
home-awaiting = مقترحات تنتظر جواب منظمتك
home-actions = مهام منظمتك المفتوحة
home-upcoming = الاجتماعات القادمة
meetings-title = الاجتماعات
meetings-empty = لا اجتماعات بعد.
meeting-new = اجتماع جديد
meeting-create = إنشاء الاجتماع
meeting-title = العنوان
meeting-kind = النوع
meeting-starts = يبدأ
meeting-ends = ينتهي
meeting-ends-hint = بعد البداية بساعتين إن تُرك فارغاً.
meeting-time-zone = المنطقة الزمنية
meeting-place = المكان
meeting-online = رابط الاجتماع عبر الإنترنت
meeting-organisers = الجهات الداعية
meeting-invited = الجهات المدعوة
meeting-visibility = من يمكنه الاطلاع
meeting-ics = أضف إلى التقويم (ics.)
meeting-kind-general_assembly = الهيئة العامة
meeting-kind-board = مجلس الإدارة
meeting-kind-working_group = مجموعة عمل
meeting-kind-bilateral = ثنائي مع جهة شريكة
meeting-kind-consultation = تشاور
meeting-attendance = الحضور
meeting-attendance-empty = لم يُسجَّل أحد بعد.
attendee-name = الاسم
attendee-org = الجهة
attendee-org-name = أو جهة غير موجودة في الدليل
attendee-role = الصفة
attendee-role-example = مثل: رئيس مجلس الإدارة
attendee-present = حاضر
attendee-yes = حاضر
attendee-invited-only = مدعو
attendee-add = إضافة حاضر
attendee-person = شخص من الدليل
attendee-guest = أو اسم ضيف
meeting-agenda = جدول الأعمال
meeting-agenda-empty = لا بنود بعد.
agenda-add = إضافة بند
agenda-title = البند
agenda-notes = ملاحظات
agenda-item = بند جدول الأعمال
meeting-decisions = القرارات
meeting-decisions-empty = لا قرارات مسجلة.
decision-add = تسجيل قرار
decision-text = القرار
decision-vote = التصويت
decision-vote-example = مثل: بالإجماع
meeting-actions = المهام
meeting-actions-empty = لا مهام.
action-add = إضافة مهمة
action-title = المطلوب
action-org = الجهة
action-person = الشخص
action-due = الموعد
action-status = الحالة
action-status-open = مفتوحة
action-status-in_progress = قيد التنفيذ
action-status-done = منجزة
action-status-dropped = متروكة
action-overdue = متأخرة
action-comment = تعليق متابعة
action-update = تحديث
actions-title = المهام
actions-overdue = متأخرة
actions-soon = مستحقة خلال أسبوعين
actions-later = لاحقاً أو بلا موعد
actions-none = لا شيء.
meeting-proposals = المقترحات
meeting-proposals-empty = لا مقترحات من هذا الاجتماع.
proposal-from-meeting = عرض مقترح على الأعضاء
minutes-title = المحضر
minutes-empty = لم يُكتب المحضر بعد.
minutes-state-draft = مسودة
minutes-state-circulated = معمم للملاحظات
minutes-state-approved = معتمد
minutes-edit = كتابة المحضر
minutes-markdown-hint = ماركداون: ## عنوان، **غامق**، - قائمة، [رابط](https://…).
minutes-save = حفظ المحضر
minutes-circulate = تعميم للملاحظات
minutes-back-to-draft = إعادة إلى المسودة
minutes-approve = اعتماد وقفل
minutes-locked = المحضر المعتمد مقفل: لا يتغير إلا بتعديل مسجَّل.
minutes-amend = تعديل المحضر المعتمد
minutes-amend-reason = سبب التعديل
minutes-amendments = التعديلات
minutes-before = النص قبل التعديل
minutes-conflict = حفظ شخص آخر المحضر أثناء كتابتك. تظهر نسخته أدناه، ونصك تحتها وفي المحرر: ادمجهما واحفظ مرة أخرى.
minutes-yours = نصك (غير محفوظ)
mentions-title = أسماء من الدليل وردت في المحضر
mentions-help = تحقق من كل منها: افتحه أو أضف الشخص إلى الحضور.
mentions-add-attendee = أضف إلى الحضور
mention-organisation = منظمة
mention-person = شخص
mention-area = مكان
summary-title = الملخص المنشور
summary-open = فتح الملخص المنشور
summary-ar = الملخص بالعربية
summary-en = الملخص بالإنجليزية
summary-tr = الملخص بالتركية
summary-publish = نشر الملخص
calendar-feed = رابط تقويمك
calendar-feed-help = عنوان خاص يشترك فيه برنامج التقويم لديك: يعرض الاجتماعات التي يحق لك رؤيتها. إنشاء عنوان جديد يوقف القديم.
calendar-feed-new = إنشاء عنوان جديد
proposals-title = المقترحات
proposals-empty = لا مقترحات بعد.
proposal-new = مقترح جديد
proposal-submit = تقديم المقترح
proposal-title = العنوان
proposal-body = النص
proposal-kind = النوع
proposal-kind-joint_initiative = مبادرة مشتركة
proposal-kind-joint_position = موقف أو بيان مشترك
proposal-kind-partner_request = طلب إلى جهة شريكة
proposal-proposers = الجهات المقترِحة
proposal-opens = يبدأ التأييد
proposal-opens-hint = النقاش مفتوح من الآن حتى الإغلاق؛ تُقبل الإجابات ابتداءً من هذا الموعد.
proposal-closes = يُغلق
proposal-state = الحالة
proposal-open = مفتوح للإجابة
proposal-discussion = قيد النقاش
proposal-meeting = الاجتماع
proposal-rules = القواعد
proposal-outcome = النتيجة
proposal-sealed = خُتمت عند الإغلاق: لم تعد هذه النتيجة قابلة للتغيير.
proposal-endorsers = أيّدته
proposal-members = المنظمات الأعضاء
proposal-answers = الإجابات
proposal-answers-hidden = الإجابات مخفية حتى الإغلاق.
proposal-your-answer = جواب منظمتك
proposal-reason = السبب (اختياري)
proposal-answer-save = إرسال الجواب
proposal-answer-given = أجابت منظمتك
proposal-discussion-title = النقاش
proposal-no-comments = لا تعليقات بعد.
proposal-comment = تعليق
proposal-reply = رد
answer-support = تأييد
answer-object = اعتراض
answer-abstain = امتناع
outcome-adopted = اعتُمد
outcome-rejected = رُفض
outcome-no_quorum = لم يكتمل النصاب
rules-title = قواعد التأييد
rules-help = لكل نوع من المقترحات. يحتفظ كل مقترح بالقواعد التي قُدِّم في ظلها.
rules-quorum = النصاب { $share } من المنظمات الأعضاء
rules-more-than = يُعتمد بتأييد أكثر من { $share }
rules-at-least = يُعتمد بتأييد لا يقل عن { $share }
rules-answers-visible = الإجابات ظاهرة أثناء التأييد
rules-answers-hidden = الإجابات مخفية حتى الإغلاق
rules-quorum-label = النصاب (نسبة المنظمات الأعضاء التي يجب أن تجيب)
rules-threshold-kind = يجب أن يكون التأييد
rules-more-than-label = أكثر من
rules-at-least-label = لا يقل عن
rules-threshold-label = نسبة التأييد بين من حدد موقفه
rules-list-endorsers = ذكر المنظمات المؤيدة في النتيجة المنشورة
rules-save = حفظ القواعد
err-meeting_kind_invalid = اختر نوع الاجتماع.
err-proposal_kind_invalid = اختر نوع المقترح.
err-action_status_invalid = اختر حالة: مفتوحة أو قيد التنفيذ أو منجزة أو متروكة.
err-minutes_state_invalid = ينتقل المحضر من مسودة إلى معمم ثم إلى معتمد.
err-minutes_locked = هذا المحضر معتمد ومقفل: أضف تعديلاً بدلاً من ذلك.
err-minutes_not_approved = لا يمكن تعديل المحضر أو تلخيصه قبل اعتماده.
err-time_zone_invalid = منطقة زمنية غير معروفة: اكتبها مثل Europe/Istanbul أو Asia/Damascus.
err-date_time_invalid = تاريخ ووقت مثل 2026-12-03 10:00.
err-threshold_invalid = عتبة «أكثر من 100٪» لا يمكن بلوغها.
err-answer_invalid = أجب بالتأييد أو الاعتراض أو الامتناع.
err-proposal_sealed = هذا المقترح مغلق ونتيجته مختومة.
err-not_a_member = المنظمات الأعضاء وحدها تجيب على المقترحات.
err-org_not_active = لم تعد هذه المنظمة عضواً فاعلاً: أسند المهمة إلى جهة أخرى.
err-assignee_required = أسند المهمة إلى منظمة أو شخص.
err-proposer_not_yours = يمكنك التقديم باسم منظمتك فقط.
summary-full-record = السجل الكامل للاجتماع
list-separator = {"؛ "}
home-actions-network = المهام المتأخرة أو القريبة في الشبكة كلها
search-kind-meeting = اجتماع
search-kind-proposal = مقترح
mail-remind-subject = جوابكم منتظر: { $title }
mail-remind-body = لم تُجب منظمتكم بعد على المقترح «{ $title }». تُقبل الإجابات حتى { $closes }.
    للإجابة: { $link }
error-body_too_large = ما أُرسل أكبر مما تقبله هذه الصفحة. لم يُحفظ شيء.
error-timeout = استغرق الطلب وقتاً طويلاً فأُوقف. لم يُحفظ شيء؛ حاول مرة أخرى.
err-body_too_large = محتوى الطلب أكبر مما يقبله هذا العنوان (1 ميبيبايت لـ JSON).
err-timeout = استغرق الطلب وقتاً طويلاً فأُوقف؛ لم يُكتب شيء.
meeting-edit = تعديل الاجتماع
mail-meeting-subject = دعوة: { $title }
mail-meeting-body = أنتم مدعوون إلى «{ $title }»، { $when }، { $place }.
    صفحة الاجتماع: { $link }
    لإضافته إلى التقويم: { $ics }
meeting-invite = إرسال الدعوات بالبريد الإلكتروني
meeting-invite-help = إلى ضباط الاتصال في الجهات الداعية والمدعوة، وإلى الأشخاص المدرجين الذين يعرف الدليل بريدهم.
meeting-invite-sent = الدعوات المرسلة: { $count }.
meeting-invite-none = لا أحد لدعوته بعد: لا يُعرف ضابط اتصال أو عنوان بريد لهذا الاجتماع.

# bulletins
nav-bulletins = النشرات
bulletins-title = النشرات
bulletins-empty = لا نشرات.
bulletins-current = النشرات السارية فقط
bulletins-with-expired = عرض المنتهية أيضاً
bulletins-feed = خلاصة Atom
bulletin-new = نشرة جديدة
bulletin-edit = تعديل النشرة
bulletin-delete = حذف النشرة
bulletin-title = العنوان
bulletin-body = النص
bulletin-kind = النوع
bulletin-kind-news = خبر
bulletin-kind-call = دعوة
bulletin-kind-alert = تنبيه
bulletin-org = تنشرها
bulletin-secretariat = الأمانة العامة
bulletin-lang = لغة النشرة
bulletin-expires = تبقى معروضة حتى (اختياري)
bulletin-pin = تثبيتها في الأعلى
bulletin-pinned = مثبتة
bulletin-until = حتى
bulletin-expired = انتهت مدة هذه النشرة: لم تعد معروضة في القائمة.
bulletin-publish = نشر
search-kind-bulletin = نشرة
err-lang_invalid = اختر العربية أو الإنجليزية أو التركية.
record-correct = تصحيح
record-remove = حذف
action-edit = تعديل المهمة

# notifications
nav-notifications = التنبيهات
notifications-title = التنبيهات
notifications-empty = لا جديد.
notifications-read-all = تعليم الكل كمقروء
notification-action_item = مهمة لمنظمتك
notification-proposal = مقترح ينتظر الجواب
notification-alert = تنبيه
