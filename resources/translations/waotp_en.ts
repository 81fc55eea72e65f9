<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>waotp::Messages</name>
    <message numerus="yes">
        <source>Wrong code — %n attempt(s) left</source>
        <translation>
            <numerusform>Wrong code — %n attempt left</numerusform>
            <numerusform>Wrong code — %n attempts left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 by SMS, expires in %n minute(s)</source>
        <translation>
            <numerusform>Code sent to %1 by SMS, expires in %n minute</numerusform>
            <numerusform>Code sent to %1 by SMS, expires in %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 on WhatsApp, expires in %n minute(s)</source>
        <translation>
            <numerusform>Code sent to %1 on WhatsApp, expires in %n minute</numerusform>
            <numerusform>Code sent to %1 on WhatsApp, expires in %n minutes</numerusform>
        </translation>
    </message>
</context>
</TS>
