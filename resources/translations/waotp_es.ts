<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
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
        <translation>Modo de demostración, aunque haya credenciales: no se envía nada y el código se muestra en pantalla.</translation>
    </message>
    <message>
        <source>Demo mode only: any 6-digit code is accepted.</source>
        <translation>Solo en modo de demostración: se acepta cualquier código de 6 dígitos.</translation>
    </message>
    <message>
        <source>Demo mode only: replay an answer of Twilio. One of: %1.</source>
        <translation>Solo en modo de demostración: reproduce una respuesta de Twilio. Una de: %1.</translation>
    </message>
    <message>
        <source>Start on sign up or sign in: signup (default) or signin.</source>
        <translation>Empezar en el registro o en el inicio de sesión: signup (predeterminado) o signin.</translation>
    </message>
    <message>
        <source>Fill in the phone number.</source>
        <translation>Rellenar el número de teléfono.</translation>
    </message>
    <message>
        <source>The default country, as an ISO 3166 code such as IN or US.</source>
        <translation>El país predeterminado, como código ISO 3166, por ejemplo IN o US.</translation>
    </message>
    <message>
        <source>Read the settings from this file.</source>
        <translation>Leer la configuración de este archivo.</translation>
    </message>
    <message>
        <source>Keep the account database and statistics in this directory.</source>
        <translation>Guardar la base de datos de cuentas y las estadísticas en este directorio.</translation>
    </message>
    <message>
        <source>The language of the window, e.g. en, hi, es, pt_BR, ar.</source>
        <translation>El idioma de la ventana, por ejemplo en, hi, es, pt_BR, ar.</translation>
    </message>
    <message>
        <source>Colours: system (default), light or dark.</source>
        <translation>Colores: system (predeterminado), light o dark.</translation>
    </message>
    <message>
        <source>Kiosk mode: fullscreen, on-screen keypad, resets itself.</source>
        <translation>Modo quiosco: pantalla completa, teclado en pantalla y se reinicia solo.</translation>
    </message>
    <message>
        <source>For scripts: print one JSON line on success (exit 0); exit 1 if cancelled, 2 on error.</source>
        <translation>Para scripts: imprime una línea JSON si tiene éxito (sale con 0); sale con 1 si se cancela y con 2 si hay un error.</translation>
    </message>
    <message>
        <source>Check the configuration (and the Twilio credentials) and exit.</source>
        <translation>Comprobar la configuración (y las credenciales de Twilio) y salir.</translation>
    </message>
    <message>
        <source>Print how many codes were sent, delivered, verified, failed, expired and rate-limited, and exit.</source>
        <translation>Mostrar cuántos códigos se enviaron, entregaron, verificaron, fallaron, caducaron y se limitaron por exceso de solicitudes, y salir.</translation>
    </message>
    <message>
        <source>Sign up or sign in by phone number with a one-time code on WhatsApp.</source>
        <translation>Regístrate o inicia sesión con tu número de teléfono y un código de un solo uso por WhatsApp.</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; (waotp takes options only)</source>
        <translation>argumento inesperado &apos;%1&apos; (waotp solo admite opciones)</translation>
    </message>
    <message>
        <source>unknown demo scenario &apos;%1&apos;; choose one of: %2</source>
        <translation>escenario de demostración desconocido &apos;%1&apos;; elige uno de: %2</translation>
    </message>
    <message>
        <source>--flow takes signup or signin, not &apos;%1&apos;</source>
        <translation>--flow admite signup o signin, no &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--country takes a two-letter country code such as IN or US, not &apos;%1&apos;</source>
        <translation>--country admite un código de país de dos letras, como IN o US, no &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--lang takes a language code such as en, hi or pt_BR, not &apos;%1&apos;</source>
        <translation>--lang admite un código de idioma, como en, hi o pt_BR, no &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--theme takes light, dark or system, not &apos;%1&apos;</source>
        <translation>--theme admite light, dark o system, no &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--kiosk never ends, so it cannot go with --print-result</source>
        <translation>--kiosk no termina nunca, así que no puede combinarse con --print-result</translation>
    </message>
    <message>
        <source>--check-config and --stats are separate commands; give one</source>
        <translation>--check-config y --stats son comandos distintos; indica solo uno</translation>
    </message>
    <message>
        <source>%1 works only in demo mode, and Twilio credentials are configured; add --demo to run without sending anything</source>
        <translation>%1 solo funciona en modo de demostración y hay credenciales de Twilio configuradas; añade --demo para ejecutar sin enviar nada</translation>
    </message>
    <message>
        <source>--phone is not a number that can receive WhatsApp: %1</source>
        <translation>--phone no es un número que pueda recibir WhatsApp: %1</translation>
    </message>
    <message>
        <source>Send and check the codes through the verification server at this URL (waotp-server): no secret on this machine.</source>
        <translation>Enviar y comprobar los códigos a través del servidor de verificación en esta URL (waotp-server): ningún secreto en esta máquina.</translation>
    </message>
    <message>
        <source>--demo runs without a server; for a demonstration of server mode, give --server the URL of waotp-server --demo</source>
        <translation>--demo funciona sin servidor; para una demostración del modo servidor, indique en --server la URL de waotp-server --demo</translation>
    </message>
    <message>
        <source>With --print-result in server mode: a value of your platform&apos;s login session (up to 128 characters), copied into the token.</source>
        <translation>Con --print-result en modo servidor: un valor de la sesión de inicio de su plataforma (hasta 128 caracteres), copiado en el token.</translation>
    </message>
    <message>
        <source>--nonce takes 1 to %1 characters, none of them a control character</source>
        <translation>--nonce admite de 1 a %1 caracteres, ninguno de ellos de control</translation>
    </message>
    <message>
        <source>--nonce goes into the token that --print-result prints; add --print-result</source>
        <translation>--nonce va en el token que imprime --print-result; añada --print-result</translation>
    </message>
    <message>
        <source>--nonce goes into a verification server&apos;s token, and --demo runs without a server</source>
        <translation>--nonce va en el token de un servidor de verificación, y --demo funciona sin servidor</translation>
    </message>
</context>
<context>
    <name>waotp::CountryPicker</name>
    <message>
        <source>Opens the list of countries</source>
        <translation>Abre la lista de países</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Search country or code</source>
        <translation>Busca un país o un código</translation>
    </message>
    <message>
        <source>Search countries</source>
        <translation>Buscar países</translation>
    </message>
    <message>
        <source>Type a country name, a country code or a calling code</source>
        <translation>Escribe el nombre de un país, un código de país o un prefijo telefónico</translation>
    </message>
    <message>
        <source>Countries</source>
        <translation>Países</translation>
    </message>
    <message>
        <source>Country: %1 (%2)</source>
        <translation>País: %1 (%2)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Choose the country of your phone number</source>
        <translation>Elige el país de tu número de teléfono</translation>
    </message>
</context>
<context>
    <name>waotp::ExpiryLabel</name>
    <message>
        <source>Code expiry</source>
        <translation>Caducidad del código</translation>
    </message>
    <message>
        <source>Time left to enter the code</source>
        <translation>Tiempo restante para introducir el código</translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation>El código caducó</translation>
    </message>
    <message>
        <source>Code expires in %1</source>
        <translation>El código caduca en %1</translation>
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
        <translation>Verificación del teléfono</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>Modo de demostración</translation>
    </message>
    <message>
        <source>Nothing is sent: the code is shown on screen</source>
        <translation>No se envía nada: el código se muestra en pantalla</translation>
    </message>
</context>
<context>
    <name>waotp::Messages</name>
    <message>
        <source>Try again in %1</source>
        <translation>Inténtalo de nuevo en %1</translation>
    </message>
    <message numerus="yes">
        <source>Wrong code — %n attempt(s) left</source>
        <translation>
            <numerusform>Código incorrecto — queda %n intento</numerusform>
            <numerusform>Código incorrecto — quedan %n intentos</numerusform>
        </translation>
    </message>
    <message>
        <source>This isn&apos;t a valid phone number. Check it and try again.</source>
        <translation>Este no es un número de teléfono válido. Revísalo e inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages.</source>
        <translation>Este número no puede recibir mensajes de WhatsApp.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages. Use a mobile number.</source>
        <translation>Este número no puede recibir mensajes de WhatsApp. Usa un número de móvil.</translation>
    </message>
    <message>
        <source>This number has opted out of our messages.</source>
        <translation>Este número se ha dado de baja de nuestros mensajes.</translation>
    </message>
    <message>
        <source>We can&apos;t send codes to this country yet.</source>
        <translation>Todavía no podemos enviar códigos a este país.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive codes yet. Please contact support.</source>
        <translation>Este número todavía no puede recibir códigos. Ponte en contacto con el soporte.</translation>
    </message>
    <message>
        <source>Service misconfigured. Please contact support.</source>
        <translation>El servicio está mal configurado. Ponte en contacto con el soporte.</translation>
    </message>
    <message>
        <source>Too many requests. %1.</source>
        <translation>Demasiadas solicitudes. %1.</translation>
    </message>
    <message>
        <source>Too many requests. Try again in a moment.</source>
        <translation>Demasiadas solicitudes. Inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>No connection. Check your internet and try again.</source>
        <translation>Sin conexión. Revisa tu conexión a internet e inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>WhatsApp didn&apos;t answer in time. Try again in a moment.</source>
        <translation>WhatsApp no respondió a tiempo. Inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>The messaging service isn&apos;t responding. Try again in a moment.</source>
        <translation>El servicio de mensajería no responde. Inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>The code couldn&apos;t be sent. Try again later.</source>
        <translation>No se pudo enviar el código. Inténtalo de nuevo más tarde.</translation>
    </message>
    <message>
        <source>Too many codes requested for this number. %1</source>
        <translation>Se han pedido demasiados códigos para este número. %1</translation>
    </message>
    <message>
        <source>The service is unavailable. Try again in a moment.</source>
        <translation>El servicio no está disponible. Inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>Codes by SMS aren&apos;t available.</source>
        <translation>Los códigos por SMS no están disponibles.</translation>
    </message>
    <message>
        <source>Codes on WhatsApp aren&apos;t available.</source>
        <translation>Los códigos por WhatsApp no están disponibles.</translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation>El código caducó</translation>
    </message>
    <message>
        <source>This code is no longer valid. Request a new code.</source>
        <translation>Este código ya no es válido. Pide un código nuevo.</translation>
    </message>
    <message>
        <source>Too many attempts. Request a new code.</source>
        <translation>Demasiados intentos. Pide un código nuevo.</translation>
    </message>
    <message>
        <source>Enter all 6 digits of the code.</source>
        <translation>Introduce los 6 dígitos del código.</translation>
    </message>
    <message>
        <source>Couldn&apos;t check the code. Check your connection and try again.</source>
        <translation>No se pudo comprobar el código. Revisa tu conexión e inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Enviando</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregado</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Leído</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>No entregado</translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 by SMS, expires in %n minute(s)</source>
        <translation>
            <numerusform>Código enviado al %1 por SMS, caduca en %n minuto</numerusform>
            <numerusform>Código enviado al %1 por SMS, caduca en %n minutos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 on WhatsApp, expires in %n minute(s)</source>
        <translation>
            <numerusform>Código enviado al %1 por WhatsApp, caduca en %n minuto</numerusform>
            <numerusform>Código enviado al %1 por WhatsApp, caduca en %n minutos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>waotp::NumericKeypad</name>
    <message>
        <source>Number keypad</source>
        <translation>Teclado numérico</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>Borrar el último dígito</translation>
    </message>
    <message>
        <source>Types %1</source>
        <translation>Escribe %1</translation>
    </message>
    <message>
        <source>Removes the digit before the cursor</source>
        <translation>Borra el dígito anterior al cursor</translation>
    </message>
</context>
<context>
    <name>waotp::OnlineCheck</name>
    <message>
        <source>No Twilio credentials are configured, so there is nothing to check: the app runs in demo mode.</source>
        <translation>No hay credenciales de Twilio configuradas, así que no hay nada que comprobar: la aplicación funciona en modo de demostración.</translation>
    </message>
    <message>
        <source>Could not reach Twilio at %1: %2.</source>
        <translation>No se pudo contactar con Twilio en %1: %2.</translation>
    </message>
    <message>
        <source>Twilio (%1) did not answer in time.</source>
        <translation>Twilio (%1) no respondió a tiempo.</translation>
    </message>
    <message>
        <source>Twilio has a problem right now (HTTP %1); try again later.</source>
        <translation>Twilio tiene un problema en este momento (HTTP %1); inténtalo de nuevo más tarde.</translation>
    </message>
    <message>
        <source>Twilio&apos;s answer could not be read: %1.</source>
        <translation>No se pudo leer la respuesta de Twilio: %1.</translation>
    </message>
    <message>
        <source>Twilio refused to show %1 (HTTP %2, error %3): %4</source>
        <translation>Twilio se negó a mostrar %1 (HTTP %2, error %3): %4</translation>
    </message>
    <message>
        <source>TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET</source>
        <translation>TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID y TWILIO_API_KEY_SECRET</translation>
    </message>
    <message>
        <source>TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN</source>
        <translation>TWILIO_ACCOUNT_SID y TWILIO_AUTH_TOKEN</translation>
    </message>
    <message>
        <source>Twilio rejected the credentials (HTTP %1, error %2). Check %3.</source>
        <translation>Twilio rechazó las credenciales (HTTP %1, error %2). Revisa %3.</translation>
    </message>
    <message>
        <source>Twilio knows no account %1 for these credentials (HTTP 404). Check %2.</source>
        <translation>Twilio no conoce ninguna cuenta %1 para estas credenciales (HTTP 404). Revisa %2.</translation>
    </message>
    <message>
        <source>the account</source>
        <translation>la cuenta</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials, but account %1 (&quot;%2&quot;) is %3: it cannot send messages.</source>
        <translation>Twilio aceptó las credenciales, pero la cuenta %1 (&quot;%2&quot;) está %3: no puede enviar mensajes.</translation>
    </message>
    <message>
        <source>not active</source>
        <translation>inactiva</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials: account %1 (&quot;%2&quot;) is active.</source>
        <translation>Twilio aceptó las credenciales: la cuenta %1 (&quot;%2&quot;) está activa.</translation>
    </message>
    <message>
        <source>It is a trial account: it can only send to numbers verified in the Twilio console.</source>
        <translation>Es una cuenta de prueba: solo puede enviar a números verificados en la consola de Twilio.</translation>
    </message>
    <message>
        <source>The Verify service %1 (&quot;%2&quot;) exists.</source>
        <translation>El servicio de Verify %1 (&quot;%2&quot;) existe.</translation>
    </message>
    <message>
        <source>But Twilio Verify knows no service %1 (HTTP 404). Check TWILIO_VERIFY_SERVICE_SID.</source>
        <translation>Pero Twilio Verify no conoce ningún servicio %1 (HTTP 404). Revisa TWILIO_VERIFY_SERVICE_SID.</translation>
    </message>
    <message>
        <source>the Verify service</source>
        <translation>el servicio de Verify</translation>
    </message>
</context>
<context>
    <name>waotp::OtpCodeInput</name>
    <message>
        <source>Verification code</source>
        <translation>Código de verificación</translation>
    </message>
    <message>
        <source>Six boxes, one digit each. Typing moves to the next box; pasting fills all six.</source>
        <translation>Seis casillas, un dígito en cada una. Al escribir se pasa a la siguiente; al pegar se rellenan las seis.</translation>
    </message>
    <message>
        <source>&amp;Paste code</source>
        <translation>&amp;Pegar código</translation>
    </message>
    <message>
        <source>Verification code, digit %1 of %2</source>
        <translation>Código de verificación, dígito %1 de %2</translation>
    </message>
    <message>
        <source>Type or paste the 6-digit code</source>
        <translation>Escribe o pega el código de 6 dígitos</translation>
    </message>
</context>
<context>
    <name>waotp::PhoneEntryPage</name>
    <message>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <source>Sign &amp;up</source>
        <translation>&amp;Registrarse</translation>
    </message>
    <message>
        <source>Create an account with this number</source>
        <translation>Crea una cuenta con este número</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>&amp;Iniciar sesión</translation>
    </message>
    <message>
        <source>Sign in to the account of this number</source>
        <translation>Inicia sesión en la cuenta de este número</translation>
    </message>
    <message>
        <source>Enter your phone number</source>
        <translation>Introduce tu número de teléfono</translation>
    </message>
    <message>
        <source>&amp;Phone number</source>
        <translation>Número de &amp;teléfono</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Número de teléfono</translation>
    </message>
    <message>
        <source>Your mobile number. The code is sent to it on WhatsApp.</source>
        <translation>Tu número de móvil. El código se envía a él por WhatsApp.</translation>
    </message>
    <message>
        <source>Sends a 6-digit code to this number on WhatsApp</source>
        <translation>Envía un código de 6 dígitos a este número por WhatsApp</translation>
    </message>
    <message>
        <source>Send by SMS instead</source>
        <translation>Enviar por SMS en su lugar</translation>
    </message>
    <message>
        <source>Sends the code as a text message instead</source>
        <translation>Envía el código en un mensaje de texto</translation>
    </message>
    <message>
        <source>Create your account with your phone number. We&apos;ll send you a 6-digit code on WhatsApp.</source>
        <translation>Crea tu cuenta con tu número de teléfono. Te enviaremos un código de 6 dígitos por WhatsApp.</translation>
    </message>
    <message>
        <source>Sign in with your phone number. We&apos;ll send you a 6-digit code on WhatsApp.</source>
        <translation>Inicia sesión con tu número de teléfono. Te enviaremos un código de 6 dígitos por WhatsApp.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Send code on WhatsApp</source>
        <translation>Enviar código por WhatsApp</translation>
    </message>
    <message>
        <source>Sending code</source>
        <translation>Enviando el código</translation>
    </message>
    <message>
        <source>Switches between signing up and signing in, and sends the code</source>
        <translation>Cambia entre registrarse e iniciar sesión, y envía el código</translation>
    </message>
</context>
<context>
    <name>waotp::PhoneNumber</name>
    <message>
        <source>Enter your phone number.</source>
        <translation>Introduce tu número de teléfono.</translation>
    </message>
    <message>
        <source>Use digits only (spaces, dashes and brackets are fine).</source>
        <translation>Usa solo dígitos (se admiten espacios, guiones y paréntesis).</translation>
    </message>
    <message>
        <source>This number is too short.</source>
        <translation>Este número es demasiado corto.</translation>
    </message>
    <message>
        <source>This number is too long.</source>
        <translation>Este número es demasiado largo.</translation>
    </message>
    <message>
        <source>This country code does not exist.</source>
        <translation>Este código de país no existe.</translation>
    </message>
    <message>
        <source>This is not a valid phone number for the selected country.</source>
        <translation>Este no es un número de teléfono válido para el país seleccionado.</translation>
    </message>
    <message>
        <source>This is a landline number; WhatsApp needs a mobile number.</source>
        <translation>Este es un número fijo; WhatsApp necesita un número de móvil.</translation>
    </message>
</context>
<context>
    <name>waotp::ResendButton</name>
    <message>
        <source>Resend code</source>
        <translation>Reenviar código</translation>
    </message>
    <message>
        <source>Sends a new code. Available when the wait is over.</source>
        <translation>Envía un código nuevo. Disponible cuando termine la espera.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Resend code in %1</source>
        <translation>Reenviar código en %1</translation>
    </message>
</context>
<context>
    <name>waotp::SendError</name>
    <message>
        <source>This phone number is not valid. Check it and try again.</source>
        <translation>Este número de teléfono no es válido. Revísalo e inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>This number does not use WhatsApp. Check the number, or get the code by SMS.</source>
        <translation>Este número no usa WhatsApp. Revisa el número o recibe el código por SMS.</translation>
    </message>
    <message>
        <source>This number cannot receive WhatsApp messages. Use a mobile number.</source>
        <translation>Este número no puede recibir mensajes de WhatsApp. Usa un número de móvil.</translation>
    </message>
    <message>
        <source>This number has blocked our messages (it replied STOP). Reply START to us to allow them again, then try again.</source>
        <translation>Este número ha bloqueado nuestros mensajes (respondió STOP). Respóndenos START para volver a permitirlos e inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>We cannot send codes to numbers in this country yet.</source>
        <translation>Todavía no podemos enviar códigos a números de este país.</translation>
    </message>
    <message>
        <source>This service is in trial mode and can only send to numbers its owner has verified. Ask the administrator to add your number.</source>
        <translation>Este servicio está en modo de prueba y solo puede enviar a números que su propietario haya verificado. Pide al administrador que añada tu número.</translation>
    </message>
    <message>
        <source>WhatsApp refused the message because the service has no approved message template. Please tell the administrator.</source>
        <translation>WhatsApp rechazó el mensaje porque el servicio no tiene una plantilla de mensaje aprobada. Avisa al administrador.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in 1 second.</source>
        <translation>Hay demasiadas solicitudes en este momento. Inténtalo de nuevo en 1 segundo.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in %1 seconds.</source>
        <translation>Hay demasiadas solicitudes en este momento. Inténtalo de nuevo en %1 segundos.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in a minute.</source>
        <translation>Hay demasiadas solicitudes en este momento. Inténtalo de nuevo en un minuto.</translation>
    </message>
    <message>
        <source>The service is misconfigured, so codes cannot be sent right now. Please tell the administrator.</source>
        <translation>El servicio está mal configurado, así que ahora no se pueden enviar códigos. Avisa al administrador.</translation>
    </message>
    <message>
        <source>Could not reach the messaging service. Check the internet connection and try again.</source>
        <translation>No se pudo contactar con el servicio de mensajería. Revisa la conexión a internet e inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>The messaging service did not answer in time. The code may still arrive; if it does not, try again.</source>
        <translation>El servicio de mensajería no respondió a tiempo. Puede que el código aún llegue; si no llega, inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>The messaging service has a problem right now. Try again in a minute.</source>
        <translation>El servicio de mensajería tiene un problema en este momento. Inténtalo de nuevo en un minuto.</translation>
    </message>
    <message>
        <source>The messaging service sent an answer that could not be read. Try again.</source>
        <translation>El servicio de mensajería envió una respuesta que no se pudo leer. Inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>The message could not be sent (Twilio error %1, see %2).</source>
        <translation>No se pudo enviar el mensaje (error de Twilio %1, consulta %2).</translation>
    </message>
    <message>
        <source>The message could not be sent. Try again.</source>
        <translation>No se pudo enviar el mensaje. Inténtalo de nuevo.</translation>
    </message>
</context>
<context>
    <name>waotp::Stats</name>
    <message>
        <source>codes sent</source>
        <translation>códigos enviados</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>entregados</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>verificados</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallidos</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>caducados</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>limitados por exceso de solicitudes</translation>
    </message>
    <message>
        <source>Nothing counted yet.</source>
        <translation>Todavía no se ha contado nada.</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>Desde %1</translation>
    </message>
    <message>
        <source>held back after wrong codes</source>
        <translation>retenidos tras códigos erróneos</translation>
    </message>
</context>
<context>
    <name>waotp::SuccessPage</name>
    <message>
        <source>Verified</source>
        <translation>Verificado</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Closes this window</source>
        <translation>Cierra esta ventana</translation>
    </message>
    <message>
        <source>Account created</source>
        <translation>Cuenta creada</translation>
    </message>
    <message>
        <source>Welcome back</source>
        <translation>Hola de nuevo</translation>
    </message>
    <message>
        <source>Your number is verified and your account is ready.</source>
        <translation>Tu número está verificado y tu cuenta está lista.</translation>
    </message>
    <message>
        <source>Your number is verified. You&apos;re signed in.</source>
        <translation>Tu número está verificado. Has iniciado sesión.</translation>
    </message>
</context>
<context>
    <name>waotp::TwilioMessagesSender</name>
    <message>
        <source>Your %1 sign-up code is %2.</source>
        <translation>Tu código de registro de %1 es %2.</translation>
    </message>
    <message>
        <source>Your %1 sign-in code is %2.</source>
        <translation>Tu código de inicio de sesión de %1 es %2.</translation>
    </message>
    <message>
        <source>Do not share it.</source>
        <translation>No lo compartas.</translation>
    </message>
    <message>
        <source>It expires in 1 second.</source>
        <translation>Caduca en 1 segundo.</translation>
    </message>
    <message>
        <source>It expires in %1 seconds.</source>
        <translation>Caduca en %1 segundos.</translation>
    </message>
    <message>
        <source>It expires in 1 minute.</source>
        <translation>Caduca en 1 minuto.</translation>
    </message>
    <message>
        <source>It expires in %1 minutes.</source>
        <translation>Caduca en %1 minutos.</translation>
    </message>
</context>
<context>
    <name>waotp::VerificationDialog</name>
    <message>
        <source>Verify your phone number</source>
        <translation>Verifica tu número de teléfono</translation>
    </message>
    <message>
        <source>There&apos;s no account for %1 yet.</source>
        <translation>Todavía no hay ninguna cuenta para %1.</translation>
    </message>
    <message>
        <source>%1 already has an account.</source>
        <translation>%1 ya tiene una cuenta.</translation>
    </message>
    <message>
        <source>Sign up instead</source>
        <translation>Regístrate en su lugar</translation>
    </message>
    <message>
        <source>Sign in instead</source>
        <translation>Inicia sesión en su lugar</translation>
    </message>
    <message>
        <source>Your account can&apos;t be checked right now. Try again in a moment.</source>
        <translation>Ahora mismo no se puede comprobar tu cuenta. Inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>Code sent by SMS</source>
        <translation>Código enviado por SMS</translation>
    </message>
    <message>
        <source>New code sent by SMS</source>
        <translation>Nuevo código enviado por SMS</translation>
    </message>
    <message>
        <source>Code sent on WhatsApp</source>
        <translation>Código enviado por WhatsApp</translation>
    </message>
    <message>
        <source>New code sent on WhatsApp</source>
        <translation>Nuevo código enviado por WhatsApp</translation>
    </message>
    <message>
        <source>Your account couldn&apos;t be saved. Please try again.</source>
        <translation>No se pudo guardar tu cuenta. Inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>You couldn&apos;t be signed in right now. Please try again.</source>
        <translation>Ahora mismo no se pudo iniciar tu sesión. Inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>Demo code: %1</source>
        <translation>Código de demostración: %1</translation>
    </message>
    <message>
        <source>If %1 has an account, a code is on its way.</source>
        <translation>Si %1 tiene una cuenta, el código está en camino.</translation>
    </message>
    <message>
        <source>No code? %1 may not have an account yet.</source>
        <translation>¿No llegó el código? Puede que %1 aún no tenga una cuenta.</translation>
    </message>
    <message>
        <source>If %1 has no account yet, a code is on its way.</source>
        <translation>Si %1 aún no tiene una cuenta, el código está en camino.</translation>
    </message>
    <message>
        <source>No code? %1 may already have an account.</source>
        <translation>¿No llegó el código? Puede que %1 ya tenga una cuenta.</translation>
    </message>
</context>
<context>
    <name>waotp::VerifyPage</name>
    <message>
        <source>Verify your number</source>
        <translation>Verifica tu número</translation>
    </message>
    <message>
        <source>&amp;Edit number</source>
        <translation>&amp;Editar número</translation>
    </message>
    <message>
        <source>Edit number</source>
        <translation>Editar número</translation>
    </message>
    <message>
        <source>Go back and change the phone number</source>
        <translation>Vuelve atrás y cambia el número de teléfono</translation>
    </message>
    <message>
        <source>No 6-digit code in the pasted text</source>
        <translation>El texto pegado no contiene un código de 6 dígitos</translation>
    </message>
    <message>
        <source>Send by &amp;SMS instead</source>
        <translation>Enviar por &amp;SMS en su lugar</translation>
    </message>
    <message>
        <source>Send by SMS instead</source>
        <translation>Enviar por SMS en su lugar</translation>
    </message>
    <message>
        <source>Sends the code as a text message</source>
        <translation>Envía el código en un mensaje de texto</translation>
    </message>
    <message>
        <source>Enter the 6-digit code we sent to %1 by SMS</source>
        <translation>Introduce el código de 6 dígitos que enviamos al %1 por SMS</translation>
    </message>
    <message>
        <source>Enter the 6-digit code we sent to %1 on WhatsApp</source>
        <translation>Introduce el código de 6 dígitos que enviamos al %1 por WhatsApp</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Message status: %1</source>
        <translation>Estado del mensaje: %1</translation>
    </message>
    <message>
        <source>The code wasn&apos;t delivered on WhatsApp. Resend it, or get it by SMS.</source>
        <translation>El código no se entregó por WhatsApp. Reenvíalo o recíbelo por SMS.</translation>
    </message>
    <message>
        <source>The code wasn&apos;t delivered. Check the number, or resend the code.</source>
        <translation>El código no se entregó. Revisa el número o reenvía el código.</translation>
    </message>
</context>
</TS>
