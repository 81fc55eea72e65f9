<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi">
<context>
    <name>QGuiApplication</name>
    <message>
        <source>QT_LAYOUT_DIRECTION</source>
        <comment>Translate this string to the string &apos;LTR&apos; in left-to-right languages or to &apos;RTL&apos; in right-to-left languages (such as Hebrew and Arabic) to get proper widget layout.</comment>
        <translation>LTR</translation>
    </message>
</context>
<context>
    <name>waotp::CommandLine</name>
    <message>
        <source>Demo mode, even with credentials: nothing is sent, the code is shown on screen.</source>
        <translation>डेमो मोड, क्रेडेंशियल होने पर भी: कुछ भी नहीं भेजा जाता, कोड स्क्रीन पर दिखाया जाता है।</translation>
    </message>
    <message>
        <source>Demo mode only: any 6-digit code is accepted.</source>
        <translation>केवल डेमो मोड में: कोई भी 6 अंकों का कोड स्वीकार किया जाता है।</translation>
    </message>
    <message>
        <source>Demo mode only: replay an answer of Twilio. One of: %1.</source>
        <translation>केवल डेमो मोड में: Twilio का कोई जवाब दोहराएँ। इनमें से एक: %1।</translation>
    </message>
    <message>
        <source>Start on sign up or sign in: signup (default) or signin.</source>
        <translation>साइन अप या साइन इन से शुरू करें: signup (डिफ़ॉल्ट) या signin।</translation>
    </message>
    <message>
        <source>Fill in the phone number.</source>
        <translation>फ़ोन नंबर पहले से भर दें।</translation>
    </message>
    <message>
        <source>The default country, as an ISO 3166 code such as IN or US.</source>
        <translation>डिफ़ॉल्ट देश, ISO 3166 कोड के रूप में, जैसे IN या US।</translation>
    </message>
    <message>
        <source>Read the settings from this file.</source>
        <translation>सेटिंग्स इस फ़ाइल से पढ़ें।</translation>
    </message>
    <message>
        <source>Keep the account database and statistics in this directory.</source>
        <translation>खातों का डेटाबेस और आँकड़े इस डायरेक्टरी में रखें।</translation>
    </message>
    <message>
        <source>The language of the window, e.g. en, hi, es, pt_BR, ar.</source>
        <translation>विंडो की भाषा, जैसे en, hi, es, pt_BR, ar।</translation>
    </message>
    <message>
        <source>Colours: system (default), light or dark.</source>
        <translation>रंग: system (डिफ़ॉल्ट), light या dark।</translation>
    </message>
    <message>
        <source>Kiosk mode: fullscreen, on-screen keypad, resets itself.</source>
        <translation>कियोस्क मोड: पूरी स्क्रीन, स्क्रीन पर कीपैड, अपने आप रीसेट होता है।</translation>
    </message>
    <message>
        <source>For scripts: print one JSON line on success (exit 0); exit 1 if cancelled, 2 on error.</source>
        <translation>स्क्रिप्ट के लिए: सफल होने पर JSON की एक पंक्ति छापें (exit 0); रद्द होने पर exit 1, त्रुटि पर 2।</translation>
    </message>
    <message>
        <source>Check the configuration (and the Twilio credentials) and exit.</source>
        <translation>कॉन्फ़िगरेशन (और Twilio क्रेडेंशियल) जाँचें और बाहर निकलें।</translation>
    </message>
    <message>
        <source>Print how many codes were sent, delivered, verified, failed, expired and rate-limited, and exit.</source>
        <translation>बताएँ कि कितने कोड भेजे गए, पहुँचे, सत्यापित हुए, विफल हुए, समाप्त हुए और दर-सीमा से रुके, फिर बाहर निकलें।</translation>
    </message>
    <message>
        <source>Sign up or sign in by phone number with a one-time code on WhatsApp.</source>
        <translation>WhatsApp पर एक बार के कोड से फ़ोन नंबर द्वारा साइन अप या साइन इन करें।</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; (waotp takes options only)</source>
        <translation>अनपेक्षित आर्ग्युमेंट &apos;%1&apos; (waotp केवल विकल्प लेता है)</translation>
    </message>
    <message>
        <source>unknown demo scenario &apos;%1&apos;; choose one of: %2</source>
        <translation>अज्ञात डेमो परिदृश्य &apos;%1&apos;; इनमें से एक चुनें: %2</translation>
    </message>
    <message>
        <source>--flow takes signup or signin, not &apos;%1&apos;</source>
        <translation>--flow का मान signup या signin होना चाहिए, &apos;%1&apos; नहीं</translation>
    </message>
    <message>
        <source>--country takes a two-letter country code such as IN or US, not &apos;%1&apos;</source>
        <translation>--country का मान दो अक्षरों का देश कोड होना चाहिए, जैसे IN या US, &apos;%1&apos; नहीं</translation>
    </message>
    <message>
        <source>--lang takes a language code such as en, hi or pt_BR, not &apos;%1&apos;</source>
        <translation>--lang का मान भाषा कोड होना चाहिए, जैसे en, hi या pt_BR, &apos;%1&apos; नहीं</translation>
    </message>
    <message>
        <source>--theme takes light, dark or system, not &apos;%1&apos;</source>
        <translation>--theme का मान light, dark या system होना चाहिए, &apos;%1&apos; नहीं</translation>
    </message>
    <message>
        <source>--kiosk never ends, so it cannot go with --print-result</source>
        <translation>--kiosk कभी समाप्त नहीं होता, इसलिए इसे --print-result के साथ नहीं दिया जा सकता</translation>
    </message>
    <message>
        <source>--check-config and --stats are separate commands; give one</source>
        <translation>--check-config और --stats अलग-अलग कमांड हैं; इनमें से एक ही दें</translation>
    </message>
    <message>
        <source>%1 works only in demo mode, and Twilio credentials are configured; add --demo to run without sending anything</source>
        <translation>%1 केवल डेमो मोड में काम करता है, और Twilio क्रेडेंशियल कॉन्फ़िगर हैं; बिना कुछ भेजे चलाने के लिए --demo जोड़ें</translation>
    </message>
    <message>
        <source>--phone is not a number that can receive WhatsApp: %1</source>
        <translation>--phone ऐसा नंबर नहीं है जिस पर WhatsApp आ सके: %1</translation>
    </message>
    <message>
        <source>Send and check the codes through the verification server at this URL (waotp-server): no secret on this machine.</source>
        <translation>इस URL पर सत्यापन सर्वर (waotp-server) के ज़रिए कोड भेजें और जाँचें: इस मशीन पर कोई गुप्त जानकारी नहीं।</translation>
    </message>
    <message>
        <source>--demo runs without a server; for a demonstration of server mode, give --server the URL of waotp-server --demo</source>
        <translation>--demo बिना सर्वर के चलता है; सर्वर मोड के प्रदर्शन के लिए --server को waotp-server --demo का URL दें</translation>
    </message>
    <message>
        <source>With --print-result in server mode: a value of your platform&apos;s login session (up to 128 characters), copied into the token.</source>
        <translation>सर्वर मोड में --print-result के साथ: आपके प्लेटफ़ॉर्म के लॉगिन सत्र का एक मान (अधिकतम 128 वर्ण), जो टोकन में कॉपी होता है।</translation>
    </message>
    <message>
        <source>--nonce takes 1 to %1 characters, none of them a control character</source>
        <translation>--nonce में 1 से %1 वर्ण होने चाहिए, जिनमें कोई नियंत्रण वर्ण न हो</translation>
    </message>
    <message>
        <source>--nonce goes into the token that --print-result prints; add --print-result</source>
        <translation>--nonce उस टोकन में जाता है जिसे --print-result छापता है; --print-result जोड़ें</translation>
    </message>
    <message>
        <source>--nonce goes into a verification server&apos;s token, and --demo runs without a server</source>
        <translation>--nonce सत्यापन सर्वर के टोकन में जाता है, और --demo बिना सर्वर के चलता है</translation>
    </message>
</context>
<context>
    <name>waotp::CountryPicker</name>
    <message>
        <source>Opens the list of countries</source>
        <translation>देशों की सूची खोलता है</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Search country or code</source>
        <translation>देश या कोड खोजें</translation>
    </message>
    <message>
        <source>Search countries</source>
        <translation>देश खोजें</translation>
    </message>
    <message>
        <source>Type a country name, a country code or a calling code</source>
        <translation>देश का नाम, देश कोड या कॉलिंग कोड लिखें</translation>
    </message>
    <message>
        <source>Countries</source>
        <translation>देश</translation>
    </message>
    <message>
        <source>Country: %1 (%2)</source>
        <translation>देश: %1 (%2)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Choose the country of your phone number</source>
        <translation>अपने फ़ोन नंबर का देश चुनें</translation>
    </message>
</context>
<context>
    <name>waotp::ExpiryLabel</name>
    <message>
        <source>Code expiry</source>
        <translation>कोड की समय-सीमा</translation>
    </message>
    <message>
        <source>Time left to enter the code</source>
        <translation>कोड डालने के लिए बचा समय</translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation>कोड की समय-सीमा समाप्त</translation>
    </message>
    <message>
        <source>Code expires in %1</source>
        <translation>कोड %1 में समाप्त होगा</translation>
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
        <translation>फ़ोन सत्यापन</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>डेमो मोड</translation>
    </message>
    <message>
        <source>Nothing is sent: the code is shown on screen</source>
        <translation>कुछ भी नहीं भेजा जाता: कोड स्क्रीन पर दिखाया जाता है</translation>
    </message>
</context>
<context>
    <name>waotp::Messages</name>
    <message>
        <source>Try again in %1</source>
        <translation>%1 बाद फिर कोशिश करें</translation>
    </message>
    <message numerus="yes">
        <source>Wrong code — %n attempt(s) left</source>
        <translation>
            <numerusform>गलत कोड — %n प्रयास बाकी है</numerusform>
            <numerusform>गलत कोड — %n प्रयास बाकी हैं</numerusform>
        </translation>
    </message>
    <message>
        <source>This isn&apos;t a valid phone number. Check it and try again.</source>
        <translation>यह मान्य फ़ोन नंबर नहीं है। इसे जाँचें और फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages.</source>
        <translation>इस नंबर पर WhatsApp संदेश नहीं आ सकते।</translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages. Use a mobile number.</source>
        <translation>इस नंबर पर WhatsApp संदेश नहीं आ सकते। मोबाइल नंबर का उपयोग करें।</translation>
    </message>
    <message>
        <source>This number has opted out of our messages.</source>
        <translation>इस नंबर ने हमारे संदेश पाने से मना कर दिया है।</translation>
    </message>
    <message>
        <source>We can&apos;t send codes to this country yet.</source>
        <translation>हम अभी इस देश में कोड नहीं भेज सकते।</translation>
    </message>
    <message>
        <source>This number can&apos;t receive codes yet. Please contact support.</source>
        <translation>इस नंबर पर अभी कोड नहीं आ सकते। कृपया सहायता टीम से संपर्क करें।</translation>
    </message>
    <message>
        <source>Service misconfigured. Please contact support.</source>
        <translation>सेवा गलत तरीके से कॉन्फ़िगर है। कृपया सहायता टीम से संपर्क करें।</translation>
    </message>
    <message>
        <source>Too many requests. %1.</source>
        <translation>बहुत ज़्यादा अनुरोध। %1।</translation>
    </message>
    <message>
        <source>Too many requests. Try again in a moment.</source>
        <translation>बहुत ज़्यादा अनुरोध। थोड़ी देर बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>No connection. Check your internet and try again.</source>
        <translation>कोई कनेक्शन नहीं। अपना इंटरनेट जाँचें और फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>WhatsApp didn&apos;t answer in time. Try again in a moment.</source>
        <translation>WhatsApp ने समय पर जवाब नहीं दिया। थोड़ी देर बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>The messaging service isn&apos;t responding. Try again in a moment.</source>
        <translation>संदेश सेवा जवाब नहीं दे रही है। थोड़ी देर बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>The code couldn&apos;t be sent. Try again later.</source>
        <translation>कोड नहीं भेजा जा सका। बाद में फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>Too many codes requested for this number. %1</source>
        <translation>इस नंबर के लिए बहुत ज़्यादा कोड माँगे गए। %1</translation>
    </message>
    <message>
        <source>The service is unavailable. Try again in a moment.</source>
        <translation>सेवा उपलब्ध नहीं है। थोड़ी देर बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>Codes by SMS aren&apos;t available.</source>
        <translation>SMS से कोड उपलब्ध नहीं हैं।</translation>
    </message>
    <message>
        <source>Codes on WhatsApp aren&apos;t available.</source>
        <translation>WhatsApp पर कोड उपलब्ध नहीं हैं।</translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation>कोड की समय-सीमा समाप्त</translation>
    </message>
    <message>
        <source>This code is no longer valid. Request a new code.</source>
        <translation>यह कोड अब मान्य नहीं है। नया कोड मँगाएँ।</translation>
    </message>
    <message>
        <source>Too many attempts. Request a new code.</source>
        <translation>बहुत ज़्यादा प्रयास। नया कोड मँगाएँ।</translation>
    </message>
    <message>
        <source>Enter all 6 digits of the code.</source>
        <translation>कोड के सभी 6 अंक डालें।</translation>
    </message>
    <message>
        <source>Couldn&apos;t check the code. Check your connection and try again.</source>
        <translation>कोड जाँचा नहीं जा सका। अपना कनेक्शन जाँचें और फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>भेजा जा रहा है</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>भेजा गया</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>पहुँच गया</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>पढ़ लिया गया</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>नहीं पहुँचा</translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 by SMS, expires in %n minute(s)</source>
        <translation>
            <numerusform>कोड %1 पर SMS से भेजा गया, %n मिनट में समाप्त होगा</numerusform>
            <numerusform>कोड %1 पर SMS से भेजा गया, %n मिनट में समाप्त होगा</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 on WhatsApp, expires in %n minute(s)</source>
        <translation>
            <numerusform>कोड %1 पर WhatsApp से भेजा गया, %n मिनट में समाप्त होगा</numerusform>
            <numerusform>कोड %1 पर WhatsApp से भेजा गया, %n मिनट में समाप्त होगा</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>waotp::NumericKeypad</name>
    <message>
        <source>Number keypad</source>
        <translation>नंबर कीपैड</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>आख़िरी अंक मिटाएँ</translation>
    </message>
    <message>
        <source>Types %1</source>
        <translation>%1 लिखता है</translation>
    </message>
    <message>
        <source>Removes the digit before the cursor</source>
        <translation>कर्सर से पहले का अंक हटाता है</translation>
    </message>
</context>
<context>
    <name>waotp::OnlineCheck</name>
    <message>
        <source>No Twilio credentials are configured, so there is nothing to check: the app runs in demo mode.</source>
        <translation>कोई Twilio क्रेडेंशियल कॉन्फ़िगर नहीं है, इसलिए जाँचने को कुछ नहीं है: ऐप डेमो मोड में चलता है।</translation>
    </message>
    <message>
        <source>Could not reach Twilio at %1: %2.</source>
        <translation>Twilio से %1 पर संपर्क नहीं हो सका: %2।</translation>
    </message>
    <message>
        <source>Twilio (%1) did not answer in time.</source>
        <translation>Twilio (%1) ने समय पर जवाब नहीं दिया।</translation>
    </message>
    <message>
        <source>Twilio has a problem right now (HTTP %1); try again later.</source>
        <translation>Twilio में अभी कोई समस्या है (HTTP %1); बाद में फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>Twilio&apos;s answer could not be read: %1.</source>
        <translation>Twilio का जवाब पढ़ा नहीं जा सका: %1।</translation>
    </message>
    <message>
        <source>Twilio refused to show %1 (HTTP %2, error %3): %4</source>
        <translation>Twilio ने %1 दिखाने से मना कर दिया (HTTP %2, त्रुटि %3): %4</translation>
    </message>
    <message>
        <source>TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET</source>
        <translation>TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID और TWILIO_API_KEY_SECRET</translation>
    </message>
    <message>
        <source>TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN</source>
        <translation>TWILIO_ACCOUNT_SID और TWILIO_AUTH_TOKEN</translation>
    </message>
    <message>
        <source>Twilio rejected the credentials (HTTP %1, error %2). Check %3.</source>
        <translation>Twilio ने क्रेडेंशियल अस्वीकार कर दिए (HTTP %1, त्रुटि %2)। %3 जाँचें।</translation>
    </message>
    <message>
        <source>Twilio knows no account %1 for these credentials (HTTP 404). Check %2.</source>
        <translation>इन क्रेडेंशियल के लिए Twilio में कोई खाता %1 नहीं है (HTTP 404)। %2 जाँचें।</translation>
    </message>
    <message>
        <source>the account</source>
        <translation>खाता</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials, but account %1 (&quot;%2&quot;) is %3: it cannot send messages.</source>
        <translation>Twilio ने क्रेडेंशियल स्वीकार कर लिए, लेकिन खाता %1 (&quot;%2&quot;) %3 है: यह संदेश नहीं भेज सकता।</translation>
    </message>
    <message>
        <source>not active</source>
        <translation>सक्रिय नहीं</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials: account %1 (&quot;%2&quot;) is active.</source>
        <translation>Twilio ने क्रेडेंशियल स्वीकार कर लिए: खाता %1 (&quot;%2&quot;) सक्रिय है।</translation>
    </message>
    <message>
        <source>It is a trial account: it can only send to numbers verified in the Twilio console.</source>
        <translation>यह ट्रायल खाता है: यह केवल Twilio कंसोल में सत्यापित नंबरों पर भेज सकता है।</translation>
    </message>
    <message>
        <source>The Verify service %1 (&quot;%2&quot;) exists.</source>
        <translation>Verify सेवा %1 (&quot;%2&quot;) मौजूद है।</translation>
    </message>
    <message>
        <source>But Twilio Verify knows no service %1 (HTTP 404). Check TWILIO_VERIFY_SERVICE_SID.</source>
        <translation>लेकिन Twilio Verify में कोई सेवा %1 नहीं है (HTTP 404)। TWILIO_VERIFY_SERVICE_SID जाँचें।</translation>
    </message>
    <message>
        <source>the Verify service</source>
        <translation>Verify सेवा</translation>
    </message>
</context>
<context>
    <name>waotp::OtpCodeInput</name>
    <message>
        <source>Verification code</source>
        <translation>सत्यापन कोड</translation>
    </message>
    <message>
        <source>Six boxes, one digit each. Typing moves to the next box; pasting fills all six.</source>
        <translation>छह बॉक्स, हर एक में एक अंक। लिखने पर अगला बॉक्स आ जाता है; पेस्ट करने पर सभी छह भर जाते हैं।</translation>
    </message>
    <message>
        <source>&amp;Paste code</source>
        <translation>कोड पेस्ट करें (&amp;P)</translation>
    </message>
    <message>
        <source>Verification code, digit %1 of %2</source>
        <translation>सत्यापन कोड, %2 में से अंक %1</translation>
    </message>
    <message>
        <source>Type or paste the 6-digit code</source>
        <translation>6 अंकों का कोड लिखें या पेस्ट करें</translation>
    </message>
</context>
<context>
    <name>waotp::PhoneEntryPage</name>
    <message>
        <source>Account</source>
        <translation>खाता</translation>
    </message>
    <message>
        <source>Sign &amp;up</source>
        <translation>साइन अप (&amp;U)</translation>
    </message>
    <message>
        <source>Create an account with this number</source>
        <translation>इस नंबर से खाता बनाएँ</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>साइन इन (&amp;I)</translation>
    </message>
    <message>
        <source>Sign in to the account of this number</source>
        <translation>इस नंबर के खाते में साइन इन करें</translation>
    </message>
    <message>
        <source>Enter your phone number</source>
        <translation>अपना फ़ोन नंबर डालें</translation>
    </message>
    <message>
        <source>&amp;Phone number</source>
        <translation>फ़ोन नंबर (&amp;P)</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>फ़ोन नंबर</translation>
    </message>
    <message>
        <source>Your mobile number. The code is sent to it on WhatsApp.</source>
        <translation>आपका मोबाइल नंबर। कोड इसी पर WhatsApp से भेजा जाता है।</translation>
    </message>
    <message>
        <source>Sends a 6-digit code to this number on WhatsApp</source>
        <translation>इस नंबर पर WhatsApp से 6 अंकों का कोड भेजता है</translation>
    </message>
    <message>
        <source>Send by SMS instead</source>
        <translation>इसके बजाय SMS से भेजें</translation>
    </message>
    <message>
        <source>Sends the code as a text message instead</source>
        <translation>इसके बजाय कोड को टेक्स्ट संदेश के रूप में भेजता है</translation>
    </message>
    <message>
        <source>Create your account with your phone number. We&apos;ll send you a 6-digit code on WhatsApp.</source>
        <translation>अपने फ़ोन नंबर से अपना खाता बनाएँ। हम आपको WhatsApp पर 6 अंकों का कोड भेजेंगे।</translation>
    </message>
    <message>
        <source>Sign in with your phone number. We&apos;ll send you a 6-digit code on WhatsApp.</source>
        <translation>अपने फ़ोन नंबर से साइन इन करें। हम आपको WhatsApp पर 6 अंकों का कोड भेजेंगे।</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>भेजा जा रहा है…</translation>
    </message>
    <message>
        <source>Send code on WhatsApp</source>
        <translation>WhatsApp पर कोड भेजें</translation>
    </message>
    <message>
        <source>Sending code</source>
        <translation>कोड भेजा जा रहा है</translation>
    </message>
    <message>
        <source>Switches between signing up and signing in, and sends the code</source>
        <translation>साइन अप और साइन इन के बीच बदलता है, और कोड भेजता है</translation>
    </message>
</context>
<context>
    <name>waotp::PhoneNumber</name>
    <message>
        <source>Enter your phone number.</source>
        <translation>अपना फ़ोन नंबर डालें।</translation>
    </message>
    <message>
        <source>Use digits only (spaces, dashes and brackets are fine).</source>
        <translation>केवल अंकों का उपयोग करें (स्पेस, डैश और कोष्ठक चल जाएँगे)।</translation>
    </message>
    <message>
        <source>This number is too short.</source>
        <translation>यह नंबर बहुत छोटा है।</translation>
    </message>
    <message>
        <source>This number is too long.</source>
        <translation>यह नंबर बहुत लंबा है।</translation>
    </message>
    <message>
        <source>This country code does not exist.</source>
        <translation>यह देश कोड मौजूद नहीं है।</translation>
    </message>
    <message>
        <source>This is not a valid phone number for the selected country.</source>
        <translation>यह चुने गए देश के लिए मान्य फ़ोन नंबर नहीं है।</translation>
    </message>
    <message>
        <source>This is a landline number; WhatsApp needs a mobile number.</source>
        <translation>यह लैंडलाइन नंबर है; WhatsApp के लिए मोबाइल नंबर चाहिए।</translation>
    </message>
</context>
<context>
    <name>waotp::ResendButton</name>
    <message>
        <source>Resend code</source>
        <translation>कोड फिर से भेजें</translation>
    </message>
    <message>
        <source>Sends a new code. Available when the wait is over.</source>
        <translation>नया कोड भेजता है। इंतज़ार पूरा होने पर उपलब्ध।</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>भेजा जा रहा है…</translation>
    </message>
    <message>
        <source>Resend code in %1</source>
        <translation>%1 में कोड फिर से भेजें</translation>
    </message>
</context>
<context>
    <name>waotp::SendError</name>
    <message>
        <source>This phone number is not valid. Check it and try again.</source>
        <translation>यह फ़ोन नंबर मान्य नहीं है। इसे जाँचें और फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>This number does not use WhatsApp. Check the number, or get the code by SMS.</source>
        <translation>यह नंबर WhatsApp का उपयोग नहीं करता। नंबर जाँचें, या कोड SMS से पाएँ।</translation>
    </message>
    <message>
        <source>This number cannot receive WhatsApp messages. Use a mobile number.</source>
        <translation>इस नंबर पर WhatsApp संदेश नहीं आ सकते। मोबाइल नंबर का उपयोग करें।</translation>
    </message>
    <message>
        <source>This number has blocked our messages (it replied STOP). Reply START to us to allow them again, then try again.</source>
        <translation>इस नंबर ने हमारे संदेश ब्लॉक कर दिए हैं (STOP भेजकर)। उन्हें फिर से पाने के लिए हमें START भेजें, फिर दोबारा कोशिश करें।</translation>
    </message>
    <message>
        <source>We cannot send codes to numbers in this country yet.</source>
        <translation>हम अभी इस देश के नंबरों पर कोड नहीं भेज सकते।</translation>
    </message>
    <message>
        <source>This service is in trial mode and can only send to numbers its owner has verified. Ask the administrator to add your number.</source>
        <translation>यह सेवा ट्रायल मोड में है और केवल उन्हीं नंबरों पर भेज सकती है जिन्हें इसके मालिक ने सत्यापित किया है। अपना नंबर जुड़वाने के लिए व्यवस्थापक से कहें।</translation>
    </message>
    <message>
        <source>WhatsApp refused the message because the service has no approved message template. Please tell the administrator.</source>
        <translation>WhatsApp ने संदेश अस्वीकार कर दिया क्योंकि सेवा के पास कोई स्वीकृत संदेश टेम्पलेट नहीं है। कृपया व्यवस्थापक को बताएँ।</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in 1 second.</source>
        <translation>अभी बहुत ज़्यादा अनुरोध हैं। 1 सेकंड बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in %1 seconds.</source>
        <translation>अभी बहुत ज़्यादा अनुरोध हैं। %1 सेकंड बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in a minute.</source>
        <translation>अभी बहुत ज़्यादा अनुरोध हैं। एक मिनट बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>The service is misconfigured, so codes cannot be sent right now. Please tell the administrator.</source>
        <translation>सेवा गलत तरीके से कॉन्फ़िगर है, इसलिए अभी कोड नहीं भेजे जा सकते। कृपया व्यवस्थापक को बताएँ।</translation>
    </message>
    <message>
        <source>Could not reach the messaging service. Check the internet connection and try again.</source>
        <translation>संदेश सेवा से संपर्क नहीं हो सका। इंटरनेट कनेक्शन जाँचें और फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>The messaging service did not answer in time. The code may still arrive; if it does not, try again.</source>
        <translation>संदेश सेवा ने समय पर जवाब नहीं दिया। कोड अब भी आ सकता है; न आए तो फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>The messaging service has a problem right now. Try again in a minute.</source>
        <translation>संदेश सेवा में अभी कोई समस्या है। एक मिनट बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>The messaging service sent an answer that could not be read. Try again.</source>
        <translation>संदेश सेवा का जवाब पढ़ा नहीं जा सका। फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>The message could not be sent (Twilio error %1, see %2).</source>
        <translation>संदेश नहीं भेजा जा सका (Twilio त्रुटि %1, देखें %2)।</translation>
    </message>
    <message>
        <source>The message could not be sent. Try again.</source>
        <translation>संदेश नहीं भेजा जा सका। फिर से कोशिश करें।</translation>
    </message>
</context>
<context>
    <name>waotp::Stats</name>
    <message>
        <source>codes sent</source>
        <translation>भेजे गए कोड</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>पहुँचे</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>सत्यापित</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>विफल</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>समाप्त</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>दर-सीमा से रुके</translation>
    </message>
    <message>
        <source>Nothing counted yet.</source>
        <translation>अभी तक कुछ नहीं गिना गया।</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>%1 से</translation>
    </message>
    <message>
        <source>held back after wrong codes</source>
        <translation>गलत कोड के बाद रोके गए</translation>
    </message>
</context>
<context>
    <name>waotp::SuccessPage</name>
    <message>
        <source>Verified</source>
        <translation>सत्यापित</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>जारी रखें</translation>
    </message>
    <message>
        <source>Closes this window</source>
        <translation>यह विंडो बंद करता है</translation>
    </message>
    <message>
        <source>Account created</source>
        <translation>खाता बन गया</translation>
    </message>
    <message>
        <source>Welcome back</source>
        <translation>फिर से स्वागत है</translation>
    </message>
    <message>
        <source>Your number is verified and your account is ready.</source>
        <translation>आपका नंबर सत्यापित हो गया है और आपका खाता तैयार है।</translation>
    </message>
    <message>
        <source>Your number is verified. You&apos;re signed in.</source>
        <translation>आपका नंबर सत्यापित हो गया है। आपने साइन इन कर लिया है।</translation>
    </message>
</context>
<context>
    <name>waotp::TwilioMessagesSender</name>
    <message>
        <source>Your %1 sign-up code is %2.</source>
        <translation>आपका %1 साइन-अप कोड %2 है।</translation>
    </message>
    <message>
        <source>Your %1 sign-in code is %2.</source>
        <translation>आपका %1 साइन-इन कोड %2 है।</translation>
    </message>
    <message>
        <source>Do not share it.</source>
        <translation>इसे किसी के साथ साझा न करें।</translation>
    </message>
    <message>
        <source>It expires in 1 second.</source>
        <translation>यह 1 सेकंड में समाप्त हो जाएगा।</translation>
    </message>
    <message>
        <source>It expires in %1 seconds.</source>
        <translation>यह %1 सेकंड में समाप्त हो जाएगा।</translation>
    </message>
    <message>
        <source>It expires in 1 minute.</source>
        <translation>यह 1 मिनट में समाप्त हो जाएगा।</translation>
    </message>
    <message>
        <source>It expires in %1 minutes.</source>
        <translation>यह %1 मिनट में समाप्त हो जाएगा।</translation>
    </message>
</context>
<context>
    <name>waotp::VerificationDialog</name>
    <message>
        <source>Verify your phone number</source>
        <translation>अपना फ़ोन नंबर सत्यापित करें</translation>
    </message>
    <message>
        <source>There&apos;s no account for %1 yet.</source>
        <translation>%1 के लिए अभी कोई खाता नहीं है।</translation>
    </message>
    <message>
        <source>%1 already has an account.</source>
        <translation>%1 का खाता पहले से है।</translation>
    </message>
    <message>
        <source>Sign up instead</source>
        <translation>इसके बजाय साइन अप करें</translation>
    </message>
    <message>
        <source>Sign in instead</source>
        <translation>इसके बजाय साइन इन करें</translation>
    </message>
    <message>
        <source>Your account can&apos;t be checked right now. Try again in a moment.</source>
        <translation>आपका खाता अभी जाँचा नहीं जा सकता। थोड़ी देर बाद फिर कोशिश करें।</translation>
    </message>
    <message>
        <source>Code sent by SMS</source>
        <translation>कोड SMS से भेजा गया</translation>
    </message>
    <message>
        <source>New code sent by SMS</source>
        <translation>नया कोड SMS से भेजा गया</translation>
    </message>
    <message>
        <source>Code sent on WhatsApp</source>
        <translation>कोड WhatsApp पर भेजा गया</translation>
    </message>
    <message>
        <source>New code sent on WhatsApp</source>
        <translation>नया कोड WhatsApp पर भेजा गया</translation>
    </message>
    <message>
        <source>Your account couldn&apos;t be saved. Please try again.</source>
        <translation>आपका खाता सहेजा नहीं जा सका। कृपया फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>You couldn&apos;t be signed in right now. Please try again.</source>
        <translation>अभी आपको साइन इन नहीं किया जा सका। कृपया फिर से कोशिश करें।</translation>
    </message>
    <message>
        <source>Demo code: %1</source>
        <translation>डेमो कोड: %1</translation>
    </message>
    <message>
        <source>If %1 has an account, a code is on its way.</source>
        <translation>अगर %1 का खाता है, तो कोड आ रहा है।</translation>
    </message>
    <message>
        <source>No code? %1 may not have an account yet.</source>
        <translation>कोड नहीं आया? हो सकता है %1 का अभी कोई खाता न हो।</translation>
    </message>
    <message>
        <source>If %1 has no account yet, a code is on its way.</source>
        <translation>अगर %1 का अभी कोई खाता नहीं है, तो कोड आ रहा है।</translation>
    </message>
    <message>
        <source>No code? %1 may already have an account.</source>
        <translation>कोड नहीं आया? हो सकता है %1 का पहले से खाता हो।</translation>
    </message>
</context>
<context>
    <name>waotp::VerifyPage</name>
    <message>
        <source>Verify your number</source>
        <translation>अपना नंबर सत्यापित करें</translation>
    </message>
    <message>
        <source>&amp;Edit number</source>
        <translation>नंबर बदलें (&amp;E)</translation>
    </message>
    <message>
        <source>Edit number</source>
        <translation>नंबर बदलें</translation>
    </message>
    <message>
        <source>Go back and change the phone number</source>
        <translation>वापस जाकर फ़ोन नंबर बदलें</translation>
    </message>
    <message>
        <source>No 6-digit code in the pasted text</source>
        <translation>पेस्ट किए गए टेक्स्ट में 6 अंकों का कोई कोड नहीं है</translation>
    </message>
    <message>
        <source>Send by &amp;SMS instead</source>
        <translation>इसके बजाय SMS से भेजें (&amp;S)</translation>
    </message>
    <message>
        <source>Send by SMS instead</source>
        <translation>इसके बजाय SMS से भेजें</translation>
    </message>
    <message>
        <source>Sends the code as a text message</source>
        <translation>कोड को टेक्स्ट संदेश के रूप में भेजता है</translation>
    </message>
    <message>
        <source>Enter the 6-digit code we sent to %1 by SMS</source>
        <translation>%1 पर SMS से भेजा गया 6 अंकों का कोड डालें</translation>
    </message>
    <message>
        <source>Enter the 6-digit code we sent to %1 on WhatsApp</source>
        <translation>%1 पर WhatsApp से भेजा गया 6 अंकों का कोड डालें</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>जाँच हो रही है…</translation>
    </message>
    <message>
        <source>Message status: %1</source>
        <translation>संदेश की स्थिति: %1</translation>
    </message>
    <message>
        <source>The code wasn&apos;t delivered on WhatsApp. Resend it, or get it by SMS.</source>
        <translation>कोड WhatsApp पर नहीं पहुँचा। इसे फिर से भेजें, या SMS से पाएँ।</translation>
    </message>
    <message>
        <source>The code wasn&apos;t delivered. Check the number, or resend the code.</source>
        <translation>कोड नहीं पहुँचा। नंबर जाँचें, या कोड फिर से भेजें।</translation>
    </message>
</context>
</TS>
