<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar">
<context>
    <name>QGuiApplication</name>
    <message>
        <source>QT_LAYOUT_DIRECTION</source>
        <comment>Translate this string to the string &apos;LTR&apos; in left-to-right languages or to &apos;RTL&apos; in right-to-left languages (such as Hebrew and Arabic) to get proper widget layout.</comment>
        <translation>RTL</translation>
    </message>
</context>
<context>
    <name>waotp::CommandLine</name>
    <message>
        <source>Demo mode, even with credentials: nothing is sent, the code is shown on screen.</source>
        <translation>وضع العرض التوضيحي حتى مع وجود بيانات الاعتماد: لا يُرسَل أي شيء، ويظهر الرمز على الشاشة.</translation>
    </message>
    <message>
        <source>Demo mode only: any 6-digit code is accepted.</source>
        <translation>في وضع العرض التوضيحي فقط: يُقبَل أي رمز من 6 أرقام.</translation>
    </message>
    <message>
        <source>Demo mode only: replay an answer of Twilio. One of: %1.</source>
        <translation>في وضع العرض التوضيحي فقط: يعيد تمثيل أحد ردود Twilio. واحد مما يلي: %1.</translation>
    </message>
    <message>
        <source>Start on sign up or sign in: signup (default) or signin.</source>
        <translation>البدء بإنشاء حساب أو بتسجيل الدخول: signup (الافتراضي) أو signin.</translation>
    </message>
    <message>
        <source>Fill in the phone number.</source>
        <translation>ملء رقم الهاتف مسبقًا.</translation>
    </message>
    <message>
        <source>The default country, as an ISO 3166 code such as IN or US.</source>
        <translation>البلد الافتراضي، برمز ISO 3166 مثل IN أو US.</translation>
    </message>
    <message>
        <source>Read the settings from this file.</source>
        <translation>قراءة الإعدادات من هذا الملف.</translation>
    </message>
    <message>
        <source>Keep the account database and statistics in this directory.</source>
        <translation>حفظ قاعدة بيانات الحسابات والإحصاءات في هذا المجلد.</translation>
    </message>
    <message>
        <source>The language of the window, e.g. en, hi, es, pt_BR, ar.</source>
        <translation>لغة النافذة، مثل en أو hi أو es أو pt_BR أو ar.</translation>
    </message>
    <message>
        <source>Colours: system (default), light or dark.</source>
        <translation>الألوان: system (الافتراضي) أو light أو dark.</translation>
    </message>
    <message>
        <source>Kiosk mode: fullscreen, on-screen keypad, resets itself.</source>
        <translation>وضع الكشك: ملء الشاشة، ولوحة أرقام على الشاشة، ويُعاد ضبطه تلقائيًا.</translation>
    </message>
    <message>
        <source>For scripts: print one JSON line on success (exit 0); exit 1 if cancelled, 2 on error.</source>
        <translation>للسكربتات: طباعة سطر JSON واحد عند النجاح (رمز الخروج 0)؛ ورمز الخروج 1 عند الإلغاء و2 عند الخطأ.</translation>
    </message>
    <message>
        <source>Check the configuration (and the Twilio credentials) and exit.</source>
        <translation>التحقق من الإعدادات (وبيانات اعتماد Twilio) ثم الخروج.</translation>
    </message>
    <message>
        <source>Print how many codes were sent, delivered, verified, failed, expired and rate-limited, and exit.</source>
        <translation>طباعة عدد الرموز التي أُرسلت وسُلِّمت وتم التحقق منها وفشلت وانتهت صلاحيتها وتجاوزت حدّ الطلبات، ثم الخروج.</translation>
    </message>
    <message>
        <source>Sign up or sign in by phone number with a one-time code on WhatsApp.</source>
        <translation>أنشئ حسابًا أو سجّل الدخول برقم هاتفك ورمز لمرة واحدة عبر واتساب.</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; (waotp takes options only)</source>
        <translation>وسيط غير متوقع &apos;%1&apos; (لا يقبل waotp إلا الخيارات)</translation>
    </message>
    <message>
        <source>unknown demo scenario &apos;%1&apos;; choose one of: %2</source>
        <translation>سيناريو عرض توضيحي غير معروف &apos;%1&apos;؛ اختر واحدًا مما يلي: %2</translation>
    </message>
    <message>
        <source>--flow takes signup or signin, not &apos;%1&apos;</source>
        <translation>يقبل الخيار --flow القيمة signup أو signin، وليس &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--country takes a two-letter country code such as IN or US, not &apos;%1&apos;</source>
        <translation>يقبل الخيار --country رمز بلد من حرفين مثل IN أو US، وليس &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--lang takes a language code such as en, hi or pt_BR, not &apos;%1&apos;</source>
        <translation>يقبل الخيار --lang رمز لغة مثل en أو hi أو pt_BR، وليس &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--theme takes light, dark or system, not &apos;%1&apos;</source>
        <translation>يقبل الخيار --theme القيمة light أو dark أو system، وليس &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--kiosk never ends, so it cannot go with --print-result</source>
        <translation>لا ينتهي الخيار --kiosk أبدًا، لذا لا يمكن استخدامه مع --print-result</translation>
    </message>
    <message>
        <source>--check-config and --stats are separate commands; give one</source>
        <translation>الخياران --check-config و--stats أمران منفصلان؛ استخدم أحدهما فقط</translation>
    </message>
    <message>
        <source>%1 works only in demo mode, and Twilio credentials are configured; add --demo to run without sending anything</source>
        <translation>يعمل %1 في وضع العرض التوضيحي فقط، وبيانات اعتماد Twilio مُعدّة؛ أضف --demo للتشغيل دون إرسال أي شيء</translation>
    </message>
    <message>
        <source>--phone is not a number that can receive WhatsApp: %1</source>
        <translation>قيمة --phone ليست رقمًا يمكنه استقبال واتساب: %1</translation>
    </message>
    <message>
        <source>Send and check the codes through the verification server at this URL (waotp-server): no secret on this machine.</source>
        <translation>إرسال الرموز والتحقق منها عبر خادم التحقق على هذا العنوان (waotp-server): لا أسرار على هذا الجهاز.</translation>
    </message>
    <message>
        <source>--demo runs without a server; for a demonstration of server mode, give --server the URL of waotp-server --demo</source>
        <translation>يعمل --demo بدون خادم؛ لعرض وضع الخادم، مرّر إلى --server عنوان waotp-server --demo</translation>
    </message>
    <message>
        <source>With --print-result in server mode: a value of your platform&apos;s login session (up to 128 characters), copied into the token.</source>
        <translation>مع --print-result في وضع الخادم: قيمة من جلسة تسجيل الدخول في منصتك (حتى 128 حرفًا)، تُنسخ إلى الرمز المميز.</translation>
    </message>
    <message>
        <source>--nonce takes 1 to %1 characters, none of them a control character</source>
        <translation>يقبل --nonce من 1 إلى %1 حرفًا، ليس بينها أي حرف تحكم</translation>
    </message>
    <message>
        <source>--nonce goes into the token that --print-result prints; add --print-result</source>
        <translation>يدخل --nonce في الرمز المميز الذي يطبعه --print-result؛ أضف --print-result</translation>
    </message>
    <message>
        <source>--nonce goes into a verification server&apos;s token, and --demo runs without a server</source>
        <translation>يدخل --nonce في الرمز المميز لخادم التحقق، و--demo يعمل بدون خادم</translation>
    </message>
</context>
<context>
    <name>waotp::CountryPicker</name>
    <message>
        <source>Opens the list of countries</source>
        <translation>يفتح قائمة البلدان</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1، %2</translation>
    </message>
    <message>
        <source>Search country or code</source>
        <translation>ابحث عن بلد أو رمز</translation>
    </message>
    <message>
        <source>Search countries</source>
        <translation>البحث في البلدان</translation>
    </message>
    <message>
        <source>Type a country name, a country code or a calling code</source>
        <translation>اكتب اسم بلد أو رمز بلد أو رمز الاتصال الدولي</translation>
    </message>
    <message>
        <source>Countries</source>
        <translation>البلدان</translation>
    </message>
    <message>
        <source>Country: %1 (%2)</source>
        <translation>البلد: %1 (%2)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Choose the country of your phone number</source>
        <translation>اختر بلد رقم هاتفك</translation>
    </message>
</context>
<context>
    <name>waotp::ExpiryLabel</name>
    <message>
        <source>Code expiry</source>
        <translation>انتهاء صلاحية الرمز</translation>
    </message>
    <message>
        <source>Time left to enter the code</source>
        <translation>الوقت المتبقي لإدخال الرمز</translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation>انتهت صلاحية الرمز</translation>
    </message>
    <message>
        <source>Code expires in %1</source>
        <translation>تنتهي صلاحية الرمز خلال %1</translation>
    </message>
</context>
<context>
    <name>waotp::HeaderBar</name>
    <message>
        <source>waotp</source>
        <translation>waotp</translation>
    </message>
    <message>
        <source>Phone verification</source>
        <translation>التحقق من الهاتف</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>وضع العرض التوضيحي</translation>
    </message>
    <message>
        <source>Nothing is sent: the code is shown on screen</source>
        <translation>لا يُرسَل أي شيء: يظهر الرمز على الشاشة</translation>
    </message>
</context>
<context>
    <name>waotp::Messages</name>
    <message>
        <source>Try again in %1</source>
        <translation>حاول مرة أخرى بعد %1</translation>
    </message>
    <message numerus="yes">
        <source>Wrong code — %n attempt(s) left</source>
        <translation>
            <numerusform>رمز خاطئ — لم تتبقَّ أي محاولة</numerusform>
            <numerusform>رمز خاطئ — تبقّت محاولة واحدة</numerusform>
            <numerusform>رمز خاطئ — تبقّت محاولتان</numerusform>
            <numerusform>رمز خاطئ — تبقّت %n محاولات</numerusform>
            <numerusform>رمز خاطئ — تبقّت %n محاولة</numerusform>
            <numerusform>رمز خاطئ — تبقّت %n محاولة</numerusform>
        </translation>
    </message>
    <message>
        <source>This isn&apos;t a valid phone number. Check it and try again.</source>
        <translation>هذا ليس رقم هاتف صالحًا. تحقّق منه وحاول مرة أخرى.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages.</source>
        <translation>لا يمكن لهذا الرقم استقبال رسائل واتساب.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages. Use a mobile number.</source>
        <translation>لا يمكن لهذا الرقم استقبال رسائل واتساب. استخدم رقم هاتف محمول.</translation>
    </message>
    <message>
        <source>This number has opted out of our messages.</source>
        <translation>ألغى هذا الرقم الاشتراك في رسائلنا.</translation>
    </message>
    <message>
        <source>We can&apos;t send codes to this country yet.</source>
        <translation>لا يمكننا إرسال الرموز إلى هذا البلد بعد.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive codes yet. Please contact support.</source>
        <translation>لا يمكن لهذا الرقم استقبال الرموز بعد. يُرجى التواصل مع الدعم.</translation>
    </message>
    <message>
        <source>Service misconfigured. Please contact support.</source>
        <translation>إعدادات الخدمة غير صحيحة. يُرجى التواصل مع الدعم.</translation>
    </message>
    <message>
        <source>Too many requests. %1.</source>
        <translation>طلبات كثيرة جدًا. %1.</translation>
    </message>
    <message>
        <source>Too many requests. Try again in a moment.</source>
        <translation>طلبات كثيرة جدًا. حاول مرة أخرى بعد قليل.</translation>
    </message>
    <message>
        <source>No connection. Check your internet and try again.</source>
        <translation>لا يوجد اتصال. تحقّق من الإنترنت وحاول مرة أخرى.</translation>
    </message>
    <message>
        <source>WhatsApp didn&apos;t answer in time. Try again in a moment.</source>
        <translation>لم يستجب واتساب في الوقت المحدد. حاول مرة أخرى بعد قليل.</translation>
    </message>
    <message>
        <source>The messaging service isn&apos;t responding. Try again in a moment.</source>
        <translation>خدمة المراسلة لا تستجيب. حاول مرة أخرى بعد قليل.</translation>
    </message>
    <message>
        <source>The code couldn&apos;t be sent. Try again later.</source>
        <translation>تعذّر إرسال الرمز. حاول مرة أخرى لاحقًا.</translation>
    </message>
    <message>
        <source>Too many codes requested for this number. %1</source>
        <translation>طُلب عدد كبير جدًا من الرموز لهذا الرقم. %1</translation>
    </message>
    <message>
        <source>The service is unavailable. Try again in a moment.</source>
        <translation>الخدمة غير متاحة. حاول مرة أخرى بعد قليل.</translation>
    </message>
    <message>
        <source>Codes by SMS aren&apos;t available.</source>
        <translation>الرموز عبر SMS غير متاحة.</translation>
    </message>
    <message>
        <source>Codes on WhatsApp aren&apos;t available.</source>
        <translation>الرموز عبر واتساب غير متاحة.</translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation>انتهت صلاحية الرمز</translation>
    </message>
    <message>
        <source>This code is no longer valid. Request a new code.</source>
        <translation>لم يعد هذا الرمز صالحًا. اطلب رمزًا جديدًا.</translation>
    </message>
    <message>
        <source>Too many attempts. Request a new code.</source>
        <translation>محاولات كثيرة جدًا. اطلب رمزًا جديدًا.</translation>
    </message>
    <message>
        <source>Enter all 6 digits of the code.</source>
        <translation>أدخل أرقام الرمز الستة كلها.</translation>
    </message>
    <message>
        <source>Couldn&apos;t check the code. Check your connection and try again.</source>
        <translation>تعذّر التحقق من الرمز. تحقّق من اتصالك وحاول مرة أخرى.</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>جارٍ الإرسال</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>تم الإرسال</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>تم التسليم</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>تمت القراءة</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>لم يُسلَّم</translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 by SMS, expires in %n minute(s)</source>
        <translation>
            <numerusform>تم إرسال الرمز إلى %1 عبر SMS، وتنتهي صلاحيته خلال %n دقيقة</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر SMS، وتنتهي صلاحيته خلال دقيقة واحدة</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر SMS، وتنتهي صلاحيته خلال دقيقتين</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر SMS، وتنتهي صلاحيته خلال %n دقائق</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر SMS، وتنتهي صلاحيته خلال %n دقيقة</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر SMS، وتنتهي صلاحيته خلال %n دقيقة</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 on WhatsApp, expires in %n minute(s)</source>
        <translation>
            <numerusform>تم إرسال الرمز إلى %1 عبر واتساب، وتنتهي صلاحيته خلال %n دقيقة</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر واتساب، وتنتهي صلاحيته خلال دقيقة واحدة</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر واتساب، وتنتهي صلاحيته خلال دقيقتين</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر واتساب، وتنتهي صلاحيته خلال %n دقائق</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر واتساب، وتنتهي صلاحيته خلال %n دقيقة</numerusform>
            <numerusform>تم إرسال الرمز إلى %1 عبر واتساب، وتنتهي صلاحيته خلال %n دقيقة</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>waotp::NumericKeypad</name>
    <message>
        <source>Number keypad</source>
        <translation>لوحة الأرقام</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>حذف آخر رقم</translation>
    </message>
    <message>
        <source>Types %1</source>
        <translation>يكتب %1</translation>
    </message>
    <message>
        <source>Removes the digit before the cursor</source>
        <translation>يحذف الرقم الذي قبل المؤشر</translation>
    </message>
</context>
<context>
    <name>waotp::OnlineCheck</name>
    <message>
        <source>No Twilio credentials are configured, so there is nothing to check: the app runs in demo mode.</source>
        <translation>لا توجد بيانات اعتماد Twilio مُعدّة، لذا لا يوجد ما يمكن التحقق منه: يعمل التطبيق في وضع العرض التوضيحي.</translation>
    </message>
    <message>
        <source>Could not reach Twilio at %1: %2.</source>
        <translation>تعذّر الوصول إلى Twilio على %1: %2.</translation>
    </message>
    <message>
        <source>Twilio (%1) did not answer in time.</source>
        <translation>لم يردّ Twilio (%1) في الوقت المحدد.</translation>
    </message>
    <message>
        <source>Twilio has a problem right now (HTTP %1); try again later.</source>
        <translation>يواجه Twilio مشكلة الآن (HTTP %1)؛ حاول مرة أخرى لاحقًا.</translation>
    </message>
    <message>
        <source>Twilio&apos;s answer could not be read: %1.</source>
        <translation>تعذّرت قراءة ردّ Twilio: %1.</translation>
    </message>
    <message>
        <source>Twilio refused to show %1 (HTTP %2, error %3): %4</source>
        <translation>رفض Twilio عرض %1 (HTTP %2، الخطأ %3): %4</translation>
    </message>
    <message>
        <source>TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET</source>
        <translation>TWILIO_ACCOUNT_SID، وTWILIO_API_KEY_SID، وTWILIO_API_KEY_SECRET</translation>
    </message>
    <message>
        <source>TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN</source>
        <translation>TWILIO_ACCOUNT_SID وTWILIO_AUTH_TOKEN</translation>
    </message>
    <message>
        <source>Twilio rejected the credentials (HTTP %1, error %2). Check %3.</source>
        <translation>رفض Twilio بيانات الاعتماد (HTTP %1، الخطأ %2). تحقّق من %3.</translation>
    </message>
    <message>
        <source>Twilio knows no account %1 for these credentials (HTTP 404). Check %2.</source>
        <translation>لا يعرف Twilio أي حساب %1 لبيانات الاعتماد هذه (HTTP 404). تحقّق من %2.</translation>
    </message>
    <message>
        <source>the account</source>
        <translation>الحساب</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials, but account %1 (&quot;%2&quot;) is %3: it cannot send messages.</source>
        <translation>قبل Twilio بيانات الاعتماد، لكن الحساب %1 (&quot;%2&quot;) %3: لا يمكنه إرسال الرسائل.</translation>
    </message>
    <message>
        <source>not active</source>
        <translation>غير نشط</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials: account %1 (&quot;%2&quot;) is active.</source>
        <translation>قبل Twilio بيانات الاعتماد: الحساب %1 (&quot;%2&quot;) نشط.</translation>
    </message>
    <message>
        <source>It is a trial account: it can only send to numbers verified in the Twilio console.</source>
        <translation>هذا حساب تجريبي: لا يمكنه الإرسال إلا إلى الأرقام التي تم التحقق منها في لوحة تحكم Twilio.</translation>
    </message>
    <message>
        <source>The Verify service %1 (&quot;%2&quot;) exists.</source>
        <translation>خدمة Verify %1 (&quot;%2&quot;) موجودة.</translation>
    </message>
    <message>
        <source>But Twilio Verify knows no service %1 (HTTP 404). Check TWILIO_VERIFY_SERVICE_SID.</source>
        <translation>لكن Twilio Verify لا يعرف أي خدمة %1 (HTTP 404). تحقّق من TWILIO_VERIFY_SERVICE_SID.</translation>
    </message>
    <message>
        <source>the Verify service</source>
        <translation>خدمة Verify</translation>
    </message>
</context>
<context>
    <name>waotp::OtpCodeInput</name>
    <message>
        <source>Verification code</source>
        <translation>رمز التحقق</translation>
    </message>
    <message>
        <source>Six boxes, one digit each. Typing moves to the next box; pasting fills all six.</source>
        <translation>ست خانات، رقم واحد في كل منها. الكتابة تنقلك إلى الخانة التالية، واللصق يملأ الخانات الست.</translation>
    </message>
    <message>
        <source>&amp;Paste code</source>
        <translation>لصق الرمز (&amp;P)</translation>
    </message>
    <message>
        <source>Verification code, digit %1 of %2</source>
        <translation>رمز التحقق، الرقم %1 من %2</translation>
    </message>
    <message>
        <source>Type or paste the 6-digit code</source>
        <translation>اكتب أو الصق الرمز المكوّن من 6 أرقام</translation>
    </message>
</context>
<context>
    <name>waotp::PhoneEntryPage</name>
    <message>
        <source>Account</source>
        <translation>الحساب</translation>
    </message>
    <message>
        <source>Sign &amp;up</source>
        <translation>إنشاء حساب (&amp;U)</translation>
    </message>
    <message>
        <source>Create an account with this number</source>
        <translation>أنشئ حسابًا بهذا الرقم</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>تسجيل الدخول (&amp;I)</translation>
    </message>
    <message>
        <source>Sign in to the account of this number</source>
        <translation>سجّل الدخول إلى حساب هذا الرقم</translation>
    </message>
    <message>
        <source>Enter your phone number</source>
        <translation>أدخل رقم هاتفك</translation>
    </message>
    <message>
        <source>&amp;Phone number</source>
        <translation>رقم الهاتف (&amp;P)</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>رقم الهاتف</translation>
    </message>
    <message>
        <source>Your mobile number. The code is sent to it on WhatsApp.</source>
        <translation>رقم هاتفك المحمول. يُرسَل الرمز إليه عبر واتساب.</translation>
    </message>
    <message>
        <source>Sends a 6-digit code to this number on WhatsApp</source>
        <translation>يرسل رمزًا من 6 أرقام إلى هذا الرقم عبر واتساب</translation>
    </message>
    <message>
        <source>Send by SMS instead</source>
        <translation>الإرسال عبر SMS بدلًا من ذلك</translation>
    </message>
    <message>
        <source>Sends the code as a text message instead</source>
        <translation>يرسل الرمز في رسالة نصية بدلًا من ذلك</translation>
    </message>
    <message>
        <source>Create your account with your phone number. We&apos;ll send you a 6-digit code on WhatsApp.</source>
        <translation>أنشئ حسابك برقم هاتفك. سنرسل إليك رمزًا من 6 أرقام عبر واتساب.</translation>
    </message>
    <message>
        <source>Sign in with your phone number. We&apos;ll send you a 6-digit code on WhatsApp.</source>
        <translation>سجّل الدخول برقم هاتفك. سنرسل إليك رمزًا من 6 أرقام عبر واتساب.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>جارٍ الإرسال…</translation>
    </message>
    <message>
        <source>Send code on WhatsApp</source>
        <translation>إرسال الرمز عبر واتساب</translation>
    </message>
    <message>
        <source>Sending code</source>
        <translation>جارٍ إرسال الرمز</translation>
    </message>
    <message>
        <source>Switches between signing up and signing in, and sends the code</source>
        <translation>يبدّل بين إنشاء حساب وتسجيل الدخول، ويرسل الرمز</translation>
    </message>
</context>
<context>
    <name>waotp::PhoneNumber</name>
    <message>
        <source>Enter your phone number.</source>
        <translation>أدخل رقم هاتفك.</translation>
    </message>
    <message>
        <source>Use digits only (spaces, dashes and brackets are fine).</source>
        <translation>استخدم الأرقام فقط (المسافات والشرطات والأقواس مقبولة).</translation>
    </message>
    <message>
        <source>This number is too short.</source>
        <translation>هذا الرقم قصير جدًا.</translation>
    </message>
    <message>
        <source>This number is too long.</source>
        <translation>هذا الرقم طويل جدًا.</translation>
    </message>
    <message>
        <source>This country code does not exist.</source>
        <translation>رمز البلد هذا غير موجود.</translation>
    </message>
    <message>
        <source>This is not a valid phone number for the selected country.</source>
        <translation>هذا ليس رقم هاتف صالحًا للبلد المحدد.</translation>
    </message>
    <message>
        <source>This is a landline number; WhatsApp needs a mobile number.</source>
        <translation>هذا رقم هاتف أرضي؛ يحتاج واتساب إلى رقم هاتف محمول.</translation>
    </message>
</context>
<context>
    <name>waotp::ResendButton</name>
    <message>
        <source>Resend code</source>
        <translation>إعادة إرسال الرمز</translation>
    </message>
    <message>
        <source>Sends a new code. Available when the wait is over.</source>
        <translation>يرسل رمزًا جديدًا. يتاح عند انتهاء الانتظار.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>جارٍ الإرسال…</translation>
    </message>
    <message>
        <source>Resend code in %1</source>
        <translation>إعادة إرسال الرمز بعد %1</translation>
    </message>
</context>
<context>
    <name>waotp::SendError</name>
    <message>
        <source>This phone number is not valid. Check it and try again.</source>
        <translation>رقم الهاتف هذا غير صالح. تحقّق منه وحاول مرة أخرى.</translation>
    </message>
    <message>
        <source>This number does not use WhatsApp. Check the number, or get the code by SMS.</source>
        <translation>هذا الرقم لا يستخدم واتساب. تحقّق من الرقم، أو احصل على الرمز عبر SMS.</translation>
    </message>
    <message>
        <source>This number cannot receive WhatsApp messages. Use a mobile number.</source>
        <translation>لا يمكن لهذا الرقم استقبال رسائل واتساب. استخدم رقم هاتف محمول.</translation>
    </message>
    <message>
        <source>This number has blocked our messages (it replied STOP). Reply START to us to allow them again, then try again.</source>
        <translation>حظر هذا الرقم رسائلنا (ردّ بكلمة STOP). أرسل إلينا START للسماح بها مجددًا، ثم حاول مرة أخرى.</translation>
    </message>
    <message>
        <source>We cannot send codes to numbers in this country yet.</source>
        <translation>لا يمكننا إرسال الرموز إلى أرقام هذا البلد بعد.</translation>
    </message>
    <message>
        <source>This service is in trial mode and can only send to numbers its owner has verified. Ask the administrator to add your number.</source>
        <translation>هذه الخدمة في الوضع التجريبي ولا يمكنها الإرسال إلا إلى الأرقام التي تحقّق منها مالكها. اطلب من المسؤول إضافة رقمك.</translation>
    </message>
    <message>
        <source>WhatsApp refused the message because the service has no approved message template. Please tell the administrator.</source>
        <translation>رفض واتساب الرسالة لأن الخدمة لا تملك قالب رسالة معتمدًا. يُرجى إبلاغ المسؤول.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in 1 second.</source>
        <translation>عدد الطلبات كبير جدًا الآن. حاول مرة أخرى بعد ثانية واحدة.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in %1 seconds.</source>
        <translation>عدد الطلبات كبير جدًا الآن. حاول مرة أخرى بعد %1 ثانية.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in a minute.</source>
        <translation>عدد الطلبات كبير جدًا الآن. حاول مرة أخرى بعد دقيقة.</translation>
    </message>
    <message>
        <source>The service is misconfigured, so codes cannot be sent right now. Please tell the administrator.</source>
        <translation>إعدادات الخدمة غير صحيحة، لذا لا يمكن إرسال الرموز الآن. يُرجى إبلاغ المسؤول.</translation>
    </message>
    <message>
        <source>Could not reach the messaging service. Check the internet connection and try again.</source>
        <translation>تعذّر الوصول إلى خدمة المراسلة. تحقّق من الاتصال بالإنترنت وحاول مرة أخرى.</translation>
    </message>
    <message>
        <source>The messaging service did not answer in time. The code may still arrive; if it does not, try again.</source>
        <translation>لم تردّ خدمة المراسلة في الوقت المحدد. قد يصل الرمز رغم ذلك؛ وإن لم يصل، فحاول مرة أخرى.</translation>
    </message>
    <message>
        <source>The messaging service has a problem right now. Try again in a minute.</source>
        <translation>تواجه خدمة المراسلة مشكلة الآن. حاول مرة أخرى بعد دقيقة.</translation>
    </message>
    <message>
        <source>The messaging service sent an answer that could not be read. Try again.</source>
        <translation>أرسلت خدمة المراسلة ردًّا تعذّرت قراءته. حاول مرة أخرى.</translation>
    </message>
    <message>
        <source>The message could not be sent (Twilio error %1, see %2).</source>
        <translation>تعذّر إرسال الرسالة (خطأ Twilio رقم %1، راجع %2).</translation>
    </message>
    <message>
        <source>The message could not be sent. Try again.</source>
        <translation>تعذّر إرسال الرسالة. حاول مرة أخرى.</translation>
    </message>
</context>
<context>
    <name>waotp::Stats</name>
    <message>
        <source>codes sent</source>
        <translation>الرموز المرسلة</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>المسلَّمة</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>المتحقَّق منها</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>الفاشلة</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>المنتهية الصلاحية</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>المقيَّدة بحدّ الطلبات</translation>
    </message>
    <message>
        <source>Nothing counted yet.</source>
        <translation>لم يُحتسب شيء بعد.</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>منذ %1</translation>
    </message>
    <message>
        <source>held back after wrong codes</source>
        <translation>المؤجَّلة بعد رموز خاطئة</translation>
    </message>
</context>
<context>
    <name>waotp::SuccessPage</name>
    <message>
        <source>Verified</source>
        <translation>تم التحقق</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>متابعة</translation>
    </message>
    <message>
        <source>Closes this window</source>
        <translation>يغلق هذه النافذة</translation>
    </message>
    <message>
        <source>Account created</source>
        <translation>تم إنشاء الحساب</translation>
    </message>
    <message>
        <source>Welcome back</source>
        <translation>مرحبًا بعودتك</translation>
    </message>
    <message>
        <source>Your number is verified and your account is ready.</source>
        <translation>تم التحقق من رقمك وحسابك جاهز.</translation>
    </message>
    <message>
        <source>Your number is verified. You&apos;re signed in.</source>
        <translation>تم التحقق من رقمك. لقد سجّلت الدخول.</translation>
    </message>
</context>
<context>
    <name>waotp::TwilioMessagesSender</name>
    <message>
        <source>Your %1 sign-up code is %2.</source>
        <translation>رمز إنشاء حسابك في %1 هو %2.</translation>
    </message>
    <message>
        <source>Your %1 sign-in code is %2.</source>
        <translation>رمز تسجيل الدخول إلى %1 هو %2.</translation>
    </message>
    <message>
        <source>Do not share it.</source>
        <translation>لا تشاركه مع أحد.</translation>
    </message>
    <message>
        <source>It expires in 1 second.</source>
        <translation>تنتهي صلاحيته خلال ثانية واحدة.</translation>
    </message>
    <message>
        <source>It expires in %1 seconds.</source>
        <translation>تنتهي صلاحيته خلال %1 ثانية.</translation>
    </message>
    <message>
        <source>It expires in 1 minute.</source>
        <translation>تنتهي صلاحيته خلال دقيقة واحدة.</translation>
    </message>
    <message>
        <source>It expires in %1 minutes.</source>
        <translation>تنتهي صلاحيته خلال %1 دقائق.</translation>
    </message>
</context>
<context>
    <name>waotp::VerificationDialog</name>
    <message>
        <source>Verify your phone number</source>
        <translation>تحقّق من رقم هاتفك</translation>
    </message>
    <message>
        <source>There&apos;s no account for %1 yet.</source>
        <translation>لا يوجد حساب للرقم %1 بعد.</translation>
    </message>
    <message>
        <source>%1 already has an account.</source>
        <translation>للرقم %1 حساب بالفعل.</translation>
    </message>
    <message>
        <source>Sign up instead</source>
        <translation>أنشئ حسابًا بدلًا من ذلك</translation>
    </message>
    <message>
        <source>Sign in instead</source>
        <translation>سجّل الدخول بدلًا من ذلك</translation>
    </message>
    <message>
        <source>Your account can&apos;t be checked right now. Try again in a moment.</source>
        <translation>لا يمكن التحقق من حسابك الآن. حاول مرة أخرى بعد قليل.</translation>
    </message>
    <message>
        <source>Code sent by SMS</source>
        <translation>تم إرسال الرمز عبر SMS</translation>
    </message>
    <message>
        <source>New code sent by SMS</source>
        <translation>تم إرسال رمز جديد عبر SMS</translation>
    </message>
    <message>
        <source>Code sent on WhatsApp</source>
        <translation>تم إرسال الرمز عبر واتساب</translation>
    </message>
    <message>
        <source>New code sent on WhatsApp</source>
        <translation>تم إرسال رمز جديد عبر واتساب</translation>
    </message>
    <message>
        <source>Your account couldn&apos;t be saved. Please try again.</source>
        <translation>تعذّر حفظ حسابك. يُرجى المحاولة مرة أخرى.</translation>
    </message>
    <message>
        <source>You couldn&apos;t be signed in right now. Please try again.</source>
        <translation>تعذّر تسجيل دخولك الآن. يُرجى المحاولة مرة أخرى.</translation>
    </message>
    <message>
        <source>Demo code: %1</source>
        <translation>رمز العرض التوضيحي: %1</translation>
    </message>
    <message>
        <source>If %1 has an account, a code is on its way.</source>
        <translation>إذا كان للرقم %1 حساب، فالرمز في طريقه إليك.</translation>
    </message>
    <message>
        <source>No code? %1 may not have an account yet.</source>
        <translation>لم يصلك الرمز؟ ربما لا يوجد حساب للرقم %1 بعد.</translation>
    </message>
    <message>
        <source>If %1 has no account yet, a code is on its way.</source>
        <translation>إذا لم يكن للرقم %1 حساب بعد، فالرمز في طريقه إليك.</translation>
    </message>
    <message>
        <source>No code? %1 may already have an account.</source>
        <translation>لم يصلك الرمز؟ ربما يوجد حساب للرقم %1 بالفعل.</translation>
    </message>
</context>
<context>
    <name>waotp::VerifyPage</name>
    <message>
        <source>Verify your number</source>
        <translation>تحقّق من رقمك</translation>
    </message>
    <message>
        <source>&amp;Edit number</source>
        <translation>تعديل الرقم (&amp;E)</translation>
    </message>
    <message>
        <source>Edit number</source>
        <translation>تعديل الرقم</translation>
    </message>
    <message>
        <source>Go back and change the phone number</source>
        <translation>ارجع وغيّر رقم الهاتف</translation>
    </message>
    <message>
        <source>No 6-digit code in the pasted text</source>
        <translation>لا يحتوي النص الملصق على رمز من 6 أرقام</translation>
    </message>
    <message>
        <source>Send by &amp;SMS instead</source>
        <translation>الإرسال عبر SMS بدلًا من ذلك (&amp;S)</translation>
    </message>
    <message>
        <source>Send by SMS instead</source>
        <translation>الإرسال عبر SMS بدلًا من ذلك</translation>
    </message>
    <message>
        <source>Sends the code as a text message</source>
        <translation>يرسل الرمز في رسالة نصية</translation>
    </message>
    <message>
        <source>Enter the 6-digit code we sent to %1 by SMS</source>
        <translation>أدخل الرمز المكوّن من 6 أرقام الذي أرسلناه إلى %1 عبر SMS</translation>
    </message>
    <message>
        <source>Enter the 6-digit code we sent to %1 on WhatsApp</source>
        <translation>أدخل الرمز المكوّن من 6 أرقام الذي أرسلناه إلى %1 عبر واتساب</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>جارٍ التحقق…</translation>
    </message>
    <message>
        <source>Message status: %1</source>
        <translation>حالة الرسالة: %1</translation>
    </message>
    <message>
        <source>The code wasn&apos;t delivered on WhatsApp. Resend it, or get it by SMS.</source>
        <translation>لم يُسلَّم الرمز عبر واتساب. أعد إرساله، أو احصل عليه عبر SMS.</translation>
    </message>
    <message>
        <source>The code wasn&apos;t delivered. Check the number, or resend the code.</source>
        <translation>لم يُسلَّم الرمز. تحقّق من الرقم، أو أعد إرسال الرمز.</translation>
    </message>
</context>
</TS>
