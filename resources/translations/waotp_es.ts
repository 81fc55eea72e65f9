<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>waotp</name>
    <message>
        <source>Sign up or sign in by phone number with a one-time code on WhatsApp.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; (waotp takes options only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown demo scenario &apos;%1&apos;; choose one of: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--flow takes signup or signin, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--country takes a two-letter country code such as IN or US, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--lang takes a language code such as en, hi or pt_BR, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--theme takes light, dark or system, not &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--kiosk never ends, so it cannot go with --print-result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--check-config and --stats are separate commands; give one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 works only in demo mode, and Twilio credentials are configured; add --demo to run without sending anything</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--phone &apos;%1&apos; is not a WhatsApp number: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This phone number is not valid. Check it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number does not use WhatsApp. Check the number, or get the code by SMS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number cannot receive WhatsApp messages. Use a mobile number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number has blocked our messages (it replied STOP). Reply START to us to allow them again, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>We cannot send codes to numbers in this country yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This service is in trial mode and can only send to numbers its owner has verified. Ask the administrator to add your number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WhatsApp refused the message because the service has no approved message template. Please tell the administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in %n second(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service is misconfigured, so codes cannot be sent right now. Please tell the administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not reach the messaging service. Check the internet connection and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The messaging service did not answer in time. The code may still arrive; if it does not, try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The messaging service has a problem right now. Try again in a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The messaging service sent an answer that could not be read. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message could not be sent (Twilio error %1, see %2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message could not be sent. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::CountryPicker</name>
    <message>
        <source>Opens the list of countries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, +%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search country or code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search countries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a country name, a country code or a calling code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Countries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Country: %1 (+%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (+%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::Definitions</name>
    <message>
        <source>Demo mode, even with credentials: nothing is sent, the code is shown on screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo mode only: any 6-digit code is accepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo mode only: replay an answer of Twilio. One of: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start on sign up or sign in: signup (default) or signin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill in the phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default country, as an ISO 3166 code such as IN or US.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the settings from this file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the account database and statistics in this directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language of the window, e.g. en, hi, es, pt_BR, ar.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colours: system (default), light or dark.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kiosk mode: fullscreen, on-screen keypad, resets itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For scripts: print one JSON line on success (exit 0); exit 1 if cancelled, 2 on error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the configuration (and the Twilio credentials) and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print how many codes were sent, delivered, verified, failed, expired and rate-limited, and exit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::ExpiryLabel</name>
    <message>
        <source>Code expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time left to enter the code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code expires in %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::Messages</name>
    <message>
        <source>Try again in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Wrong code — %n attempt(s) left</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong code — 1 attempt left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong code — %1 attempts left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This isn&apos;t a valid phone number. Check it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages. Use a mobile number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number has opted out of our messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>We can&apos;t send codes to this country yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number can&apos;t receive codes yet. Please contact support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service misconfigured. Please contact support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests. %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many requests. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connection. Check your internet and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WhatsApp didn&apos;t answer in time. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The messaging service isn&apos;t responding. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code couldn&apos;t be sent. Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many codes requested for this number. %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The service is unavailable. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codes by SMS aren&apos;t available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Codes on WhatsApp aren&apos;t available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This code is no longer valid. Request a new code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many attempts. Request a new code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter all 6 digits of the code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Couldn&apos;t check the code. Check your connection and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::NumericKeypad</name>
    <message>
        <source>Number keypad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::OtpCodeInput</name>
    <message>
        <source>Verification code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Six boxes, one digit each. Typing moves to the next box; pasting fills all six.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verification code, digit %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type or paste the 6-digit code from WhatsApp</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::PhoneNumber</name>
    <message>
        <source>Enter your phone number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use digits only (spaces, dashes and brackets are fine).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number is too short.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This number is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This country code does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is not a valid phone number for the selected country.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a landline number; WhatsApp needs a mobile number.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::PlaceholderWindow</name>
    <message>
        <source>waotp demo mode</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::ResendButton</name>
    <message>
        <source>Resend code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends a new code. Available when the wait is over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resend code in %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::Stats</name>
    <message>
        <source>codes sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing counted yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>waotp::VerificationDialog</name>
    <message>
        <source>Verify your phone number</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
