<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
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
        <translation>Modo de demonstração, mesmo com credenciais: nada é enviado, o código aparece na tela.</translation>
    </message>
    <message>
        <source>Demo mode only: any 6-digit code is accepted.</source>
        <translation>Somente no modo de demonstração: qualquer código de 6 dígitos é aceito.</translation>
    </message>
    <message>
        <source>Demo mode only: replay an answer of Twilio. One of: %1.</source>
        <translation>Somente no modo de demonstração: reproduz uma resposta do Twilio. Uma de: %1.</translation>
    </message>
    <message>
        <source>Start on sign up or sign in: signup (default) or signin.</source>
        <translation>Começar pelo cadastro ou pela entrada: signup (padrão) ou signin.</translation>
    </message>
    <message>
        <source>Fill in the phone number.</source>
        <translation>Preencher o número de telefone.</translation>
    </message>
    <message>
        <source>The default country, as an ISO 3166 code such as IN or US.</source>
        <translation>O país padrão, como código ISO 3166, por exemplo IN ou US.</translation>
    </message>
    <message>
        <source>Read the settings from this file.</source>
        <translation>Ler as configurações deste arquivo.</translation>
    </message>
    <message>
        <source>Keep the account database and statistics in this directory.</source>
        <translation>Guardar o banco de dados de contas e as estatísticas neste diretório.</translation>
    </message>
    <message>
        <source>The language of the window, e.g. en, hi, es, pt_BR, ar.</source>
        <translation>O idioma da janela, por exemplo en, hi, es, pt_BR, ar.</translation>
    </message>
    <message>
        <source>Colours: system (default), light or dark.</source>
        <translation>Cores: system (padrão), light ou dark.</translation>
    </message>
    <message>
        <source>Kiosk mode: fullscreen, on-screen keypad, resets itself.</source>
        <translation>Modo quiosque: tela cheia, teclado na tela, reinicia sozinho.</translation>
    </message>
    <message>
        <source>For scripts: print one JSON line on success (exit 0); exit 1 if cancelled, 2 on error.</source>
        <translation>Para scripts: imprime uma linha JSON em caso de sucesso (sai com 0); sai com 1 se cancelado e com 2 em caso de erro.</translation>
    </message>
    <message>
        <source>Check the configuration (and the Twilio credentials) and exit.</source>
        <translation>Verificar a configuração (e as credenciais do Twilio) e sair.</translation>
    </message>
    <message>
        <source>Print how many codes were sent, delivered, verified, failed, expired and rate-limited, and exit.</source>
        <translation>Mostrar quantos códigos foram enviados, entregues, verificados, falharam, expiraram e foram limitados por excesso de solicitações, e sair.</translation>
    </message>
    <message>
        <source>Sign up or sign in by phone number with a one-time code on WhatsApp.</source>
        <translation>Cadastre-se ou entre com seu número de telefone e um código de uso único pelo WhatsApp.</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; (waotp takes options only)</source>
        <translation>argumento inesperado &apos;%1&apos; (o waotp só aceita opções)</translation>
    </message>
    <message>
        <source>unknown demo scenario &apos;%1&apos;; choose one of: %2</source>
        <translation>cenário de demonstração desconhecido &apos;%1&apos;; escolha um de: %2</translation>
    </message>
    <message>
        <source>--flow takes signup or signin, not &apos;%1&apos;</source>
        <translation>--flow aceita signup ou signin, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--country takes a two-letter country code such as IN or US, not &apos;%1&apos;</source>
        <translation>--country aceita um código de país de duas letras, como IN ou US, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--lang takes a language code such as en, hi or pt_BR, not &apos;%1&apos;</source>
        <translation>--lang aceita um código de idioma, como en, hi ou pt_BR, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--theme takes light, dark or system, not &apos;%1&apos;</source>
        <translation>--theme aceita light, dark ou system, não &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--kiosk never ends, so it cannot go with --print-result</source>
        <translation>--kiosk nunca termina, então não pode ser usado com --print-result</translation>
    </message>
    <message>
        <source>--check-config and --stats are separate commands; give one</source>
        <translation>--check-config e --stats são comandos separados; informe só um</translation>
    </message>
    <message>
        <source>%1 works only in demo mode, and Twilio credentials are configured; add --demo to run without sending anything</source>
        <translation>%1 só funciona no modo de demonstração, e há credenciais do Twilio configuradas; adicione --demo para executar sem enviar nada</translation>
    </message>
    <message>
        <source>--phone is not a number that can receive WhatsApp: %1</source>
        <translation>--phone não é um número que possa receber WhatsApp: %1</translation>
    </message>
    <message>
        <source>Send and check the codes through the verification server at this URL (waotp-server): no secret on this machine.</source>
        <translation>Enviar e verificar os códigos pelo servidor de verificação neste URL (waotp-server): nenhum segredo nesta máquina.</translation>
    </message>
    <message>
        <source>--demo runs without a server; for a demonstration of server mode, give --server the URL of waotp-server --demo</source>
        <translation>--demo funciona sem servidor; para uma demonstração do modo servidor, passe a --server o URL de waotp-server --demo</translation>
    </message>
    <message>
        <source>With --print-result in server mode: a value of your platform&apos;s login session (up to 128 characters), copied into the token.</source>
        <translation>Com --print-result no modo servidor: um valor da sessão de login da sua plataforma (até 128 caracteres), copiado para o token.</translation>
    </message>
    <message>
        <source>--nonce takes 1 to %1 characters, none of them a control character</source>
        <translation>--nonce aceita de 1 a %1 caracteres, nenhum deles de controle</translation>
    </message>
    <message>
        <source>--nonce goes into the token that --print-result prints; add --print-result</source>
        <translation>--nonce vai no token que --print-result imprime; adicione --print-result</translation>
    </message>
    <message>
        <source>--nonce goes into a verification server&apos;s token, and --demo runs without a server</source>
        <translation>--nonce vai no token de um servidor de verificação, e --demo funciona sem servidor</translation>
    </message>
</context>
<context>
    <name>waotp::CountryPicker</name>
    <message>
        <source>Opens the list of countries</source>
        <translation>Abre a lista de países</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>Search country or code</source>
        <translation>Pesquise um país ou código</translation>
    </message>
    <message>
        <source>Search countries</source>
        <translation>Pesquisar países</translation>
    </message>
    <message>
        <source>Type a country name, a country code or a calling code</source>
        <translation>Digite o nome de um país, um código de país ou um código de discagem</translation>
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
        <translation>Escolha o país do seu número de telefone</translation>
    </message>
</context>
<context>
    <name>waotp::ExpiryLabel</name>
    <message>
        <source>Code expiry</source>
        <translation>Validade do código</translation>
    </message>
    <message>
        <source>Time left to enter the code</source>
        <translation>Tempo restante para digitar o código</translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation>O código expirou</translation>
    </message>
    <message>
        <source>Code expires in %1</source>
        <translation>O código expira em %1</translation>
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
        <translation>Verificação de telefone</translation>
    </message>
    <message>
        <source>Demo mode</source>
        <translation>Modo de demonstração</translation>
    </message>
    <message>
        <source>Nothing is sent: the code is shown on screen</source>
        <translation>Nada é enviado: o código aparece na tela</translation>
    </message>
</context>
<context>
    <name>waotp::Messages</name>
    <message>
        <source>Try again in %1</source>
        <translation>Tente de novo em %1</translation>
    </message>
    <message numerus="yes">
        <source>Wrong code — %n attempt(s) left</source>
        <translation>
            <numerusform>Código incorreto — resta %n tentativa</numerusform>
            <numerusform>Código incorreto — restam %n tentativas</numerusform>
        </translation>
    </message>
    <message>
        <source>This isn&apos;t a valid phone number. Check it and try again.</source>
        <translation>Este não é um número de telefone válido. Confira e tente de novo.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages.</source>
        <translation>Este número não pode receber mensagens do WhatsApp.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive WhatsApp messages. Use a mobile number.</source>
        <translation>Este número não pode receber mensagens do WhatsApp. Use um número de celular.</translation>
    </message>
    <message>
        <source>This number has opted out of our messages.</source>
        <translation>Este número optou por não receber nossas mensagens.</translation>
    </message>
    <message>
        <source>We can&apos;t send codes to this country yet.</source>
        <translation>Ainda não podemos enviar códigos para este país.</translation>
    </message>
    <message>
        <source>This number can&apos;t receive codes yet. Please contact support.</source>
        <translation>Este número ainda não pode receber códigos. Entre em contato com o suporte.</translation>
    </message>
    <message>
        <source>Service misconfigured. Please contact support.</source>
        <translation>Serviço mal configurado. Entre em contato com o suporte.</translation>
    </message>
    <message>
        <source>Too many requests. %1.</source>
        <translation>Muitas solicitações. %1.</translation>
    </message>
    <message>
        <source>Too many requests. Try again in a moment.</source>
        <translation>Muitas solicitações. Tente de novo daqui a pouco.</translation>
    </message>
    <message>
        <source>No connection. Check your internet and try again.</source>
        <translation>Sem conexão. Verifique sua internet e tente de novo.</translation>
    </message>
    <message>
        <source>WhatsApp didn&apos;t answer in time. Try again in a moment.</source>
        <translation>O WhatsApp não respondeu a tempo. Tente de novo daqui a pouco.</translation>
    </message>
    <message>
        <source>The messaging service isn&apos;t responding. Try again in a moment.</source>
        <translation>O serviço de mensagens não está respondendo. Tente de novo daqui a pouco.</translation>
    </message>
    <message>
        <source>The code couldn&apos;t be sent. Try again later.</source>
        <translation>Não foi possível enviar o código. Tente de novo mais tarde.</translation>
    </message>
    <message>
        <source>Too many codes requested for this number. %1</source>
        <translation>Foram solicitados códigos demais para este número. %1</translation>
    </message>
    <message>
        <source>The service is unavailable. Try again in a moment.</source>
        <translation>O serviço está indisponível. Tente de novo daqui a pouco.</translation>
    </message>
    <message>
        <source>Codes by SMS aren&apos;t available.</source>
        <translation>Códigos por SMS não estão disponíveis.</translation>
    </message>
    <message>
        <source>Codes on WhatsApp aren&apos;t available.</source>
        <translation>Códigos pelo WhatsApp não estão disponíveis.</translation>
    </message>
    <message>
        <source>Code expired</source>
        <translation>O código expirou</translation>
    </message>
    <message>
        <source>This code is no longer valid. Request a new code.</source>
        <translation>Este código não é mais válido. Peça um novo código.</translation>
    </message>
    <message>
        <source>Too many attempts. Request a new code.</source>
        <translation>Tentativas demais. Peça um novo código.</translation>
    </message>
    <message>
        <source>Enter all 6 digits of the code.</source>
        <translation>Digite os 6 dígitos do código.</translation>
    </message>
    <message>
        <source>Couldn&apos;t check the code. Check your connection and try again.</source>
        <translation>Não foi possível verificar o código. Verifique sua conexão e tente de novo.</translation>
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
        <translation>Entregue</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Lido</translation>
    </message>
    <message>
        <source>Not delivered</source>
        <translation>Não entregue</translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 by SMS, expires in %n minute(s)</source>
        <translation>
            <numerusform>Código enviado para %1 por SMS, expira em %n minuto</numerusform>
            <numerusform>Código enviado para %1 por SMS, expira em %n minutos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Code sent to %1 on WhatsApp, expires in %n minute(s)</source>
        <translation>
            <numerusform>Código enviado para %1 pelo WhatsApp, expira em %n minuto</numerusform>
            <numerusform>Código enviado para %1 pelo WhatsApp, expira em %n minutos</numerusform>
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
        <translation>Apagar o último dígito</translation>
    </message>
    <message>
        <source>Types %1</source>
        <translation>Digita %1</translation>
    </message>
    <message>
        <source>Removes the digit before the cursor</source>
        <translation>Apaga o dígito antes do cursor</translation>
    </message>
</context>
<context>
    <name>waotp::OnlineCheck</name>
    <message>
        <source>No Twilio credentials are configured, so there is nothing to check: the app runs in demo mode.</source>
        <translation>Não há credenciais do Twilio configuradas, então não há nada para verificar: o aplicativo roda no modo de demonstração.</translation>
    </message>
    <message>
        <source>Could not reach Twilio at %1: %2.</source>
        <translation>Não foi possível acessar o Twilio em %1: %2.</translation>
    </message>
    <message>
        <source>Twilio (%1) did not answer in time.</source>
        <translation>O Twilio (%1) não respondeu a tempo.</translation>
    </message>
    <message>
        <source>Twilio has a problem right now (HTTP %1); try again later.</source>
        <translation>O Twilio está com um problema agora (HTTP %1); tente de novo mais tarde.</translation>
    </message>
    <message>
        <source>Twilio&apos;s answer could not be read: %1.</source>
        <translation>Não foi possível ler a resposta do Twilio: %1.</translation>
    </message>
    <message>
        <source>Twilio refused to show %1 (HTTP %2, error %3): %4</source>
        <translation>O Twilio se recusou a mostrar %1 (HTTP %2, erro %3): %4</translation>
    </message>
    <message>
        <source>TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET</source>
        <translation>TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID e TWILIO_API_KEY_SECRET</translation>
    </message>
    <message>
        <source>TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN</source>
        <translation>TWILIO_ACCOUNT_SID e TWILIO_AUTH_TOKEN</translation>
    </message>
    <message>
        <source>Twilio rejected the credentials (HTTP %1, error %2). Check %3.</source>
        <translation>O Twilio rejeitou as credenciais (HTTP %1, erro %2). Verifique %3.</translation>
    </message>
    <message>
        <source>Twilio knows no account %1 for these credentials (HTTP 404). Check %2.</source>
        <translation>O Twilio não conhece nenhuma conta %1 para estas credenciais (HTTP 404). Verifique %2.</translation>
    </message>
    <message>
        <source>the account</source>
        <translation>a conta</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials, but account %1 (&quot;%2&quot;) is %3: it cannot send messages.</source>
        <translation>O Twilio aceitou as credenciais, mas a conta %1 (&quot;%2&quot;) está %3: ela não pode enviar mensagens.</translation>
    </message>
    <message>
        <source>not active</source>
        <translation>inativa</translation>
    </message>
    <message>
        <source>Twilio accepted the credentials: account %1 (&quot;%2&quot;) is active.</source>
        <translation>O Twilio aceitou as credenciais: a conta %1 (&quot;%2&quot;) está ativa.</translation>
    </message>
    <message>
        <source>It is a trial account: it can only send to numbers verified in the Twilio console.</source>
        <translation>É uma conta de teste: só pode enviar para números verificados no console do Twilio.</translation>
    </message>
    <message>
        <source>The Verify service %1 (&quot;%2&quot;) exists.</source>
        <translation>O serviço do Verify %1 (&quot;%2&quot;) existe.</translation>
    </message>
    <message>
        <source>But Twilio Verify knows no service %1 (HTTP 404). Check TWILIO_VERIFY_SERVICE_SID.</source>
        <translation>Mas o Twilio Verify não conhece nenhum serviço %1 (HTTP 404). Verifique TWILIO_VERIFY_SERVICE_SID.</translation>
    </message>
    <message>
        <source>the Verify service</source>
        <translation>o serviço do Verify</translation>
    </message>
</context>
<context>
    <name>waotp::OtpCodeInput</name>
    <message>
        <source>Verification code</source>
        <translation>Código de verificação</translation>
    </message>
    <message>
        <source>Six boxes, one digit each. Typing moves to the next box; pasting fills all six.</source>
        <translation>Seis caixas, um dígito em cada. Ao digitar, passa para a próxima; ao colar, preenche as seis.</translation>
    </message>
    <message>
        <source>&amp;Paste code</source>
        <translation>&amp;Colar código</translation>
    </message>
    <message>
        <source>Verification code, digit %1 of %2</source>
        <translation>Código de verificação, dígito %1 de %2</translation>
    </message>
    <message>
        <source>Type or paste the 6-digit code</source>
        <translation>Digite ou cole o código de 6 dígitos</translation>
    </message>
</context>
<context>
    <name>waotp::PhoneEntryPage</name>
    <message>
        <source>Account</source>
        <translation>Conta</translation>
    </message>
    <message>
        <source>Sign &amp;up</source>
        <translation>&amp;Cadastrar</translation>
    </message>
    <message>
        <source>Create an account with this number</source>
        <translation>Crie uma conta com este número</translation>
    </message>
    <message>
        <source>Sign &amp;in</source>
        <translation>&amp;Entrar</translation>
    </message>
    <message>
        <source>Sign in to the account of this number</source>
        <translation>Entre na conta deste número</translation>
    </message>
    <message>
        <source>Enter your phone number</source>
        <translation>Digite seu número de telefone</translation>
    </message>
    <message>
        <source>&amp;Phone number</source>
        <translation>Número de &amp;telefone</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Número de telefone</translation>
    </message>
    <message>
        <source>Your mobile number. The code is sent to it on WhatsApp.</source>
        <translation>Seu número de celular. O código é enviado para ele pelo WhatsApp.</translation>
    </message>
    <message>
        <source>Sends a 6-digit code to this number on WhatsApp</source>
        <translation>Envia um código de 6 dígitos para este número pelo WhatsApp</translation>
    </message>
    <message>
        <source>Send by SMS instead</source>
        <translation>Enviar por SMS em vez disso</translation>
    </message>
    <message>
        <source>Sends the code as a text message instead</source>
        <translation>Envia o código por mensagem de texto</translation>
    </message>
    <message>
        <source>Create your account with your phone number. We&apos;ll send you a 6-digit code on WhatsApp.</source>
        <translation>Crie sua conta com seu número de telefone. Vamos enviar um código de 6 dígitos pelo WhatsApp.</translation>
    </message>
    <message>
        <source>Sign in with your phone number. We&apos;ll send you a 6-digit code on WhatsApp.</source>
        <translation>Entre com seu número de telefone. Vamos enviar um código de 6 dígitos pelo WhatsApp.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Send code on WhatsApp</source>
        <translation>Enviar código pelo WhatsApp</translation>
    </message>
    <message>
        <source>Sending code</source>
        <translation>Enviando o código</translation>
    </message>
    <message>
        <source>Switches between signing up and signing in, and sends the code</source>
        <translation>Alterna entre cadastro e entrada e envia o código</translation>
    </message>
</context>
<context>
    <name>waotp::PhoneNumber</name>
    <message>
        <source>Enter your phone number.</source>
        <translation>Digite seu número de telefone.</translation>
    </message>
    <message>
        <source>Use digits only (spaces, dashes and brackets are fine).</source>
        <translation>Use apenas dígitos (espaços, hífens e parênteses são aceitos).</translation>
    </message>
    <message>
        <source>This number is too short.</source>
        <translation>Este número é curto demais.</translation>
    </message>
    <message>
        <source>This number is too long.</source>
        <translation>Este número é longo demais.</translation>
    </message>
    <message>
        <source>This country code does not exist.</source>
        <translation>Este código de país não existe.</translation>
    </message>
    <message>
        <source>This is not a valid phone number for the selected country.</source>
        <translation>Este não é um número de telefone válido para o país selecionado.</translation>
    </message>
    <message>
        <source>This is a landline number; WhatsApp needs a mobile number.</source>
        <translation>Este é um número fixo; o WhatsApp precisa de um número de celular.</translation>
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
        <translation>Envia um novo código. Disponível quando a espera terminar.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <source>Resend code in %1</source>
        <translation>Reenviar código em %1</translation>
    </message>
</context>
<context>
    <name>waotp::SendError</name>
    <message>
        <source>This phone number is not valid. Check it and try again.</source>
        <translation>Este número de telefone não é válido. Confira e tente de novo.</translation>
    </message>
    <message>
        <source>This number does not use WhatsApp. Check the number, or get the code by SMS.</source>
        <translation>Este número não usa o WhatsApp. Confira o número ou receba o código por SMS.</translation>
    </message>
    <message>
        <source>This number cannot receive WhatsApp messages. Use a mobile number.</source>
        <translation>Este número não pode receber mensagens do WhatsApp. Use um número de celular.</translation>
    </message>
    <message>
        <source>This number has blocked our messages (it replied STOP). Reply START to us to allow them again, then try again.</source>
        <translation>Este número bloqueou nossas mensagens (respondeu STOP). Responda START para permiti-las de novo e tente outra vez.</translation>
    </message>
    <message>
        <source>We cannot send codes to numbers in this country yet.</source>
        <translation>Ainda não podemos enviar códigos para números deste país.</translation>
    </message>
    <message>
        <source>This service is in trial mode and can only send to numbers its owner has verified. Ask the administrator to add your number.</source>
        <translation>Este serviço está em modo de teste e só pode enviar para números verificados pelo proprietário. Peça ao administrador para adicionar seu número.</translation>
    </message>
    <message>
        <source>WhatsApp refused the message because the service has no approved message template. Please tell the administrator.</source>
        <translation>O WhatsApp recusou a mensagem porque o serviço não tem um modelo de mensagem aprovado. Avise o administrador.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in 1 second.</source>
        <translation>Muitas solicitações no momento. Tente de novo em 1 segundo.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in %1 seconds.</source>
        <translation>Muitas solicitações no momento. Tente de novo em %1 segundos.</translation>
    </message>
    <message>
        <source>Too many requests right now. Try again in a minute.</source>
        <translation>Muitas solicitações no momento. Tente de novo em um minuto.</translation>
    </message>
    <message>
        <source>The service is misconfigured, so codes cannot be sent right now. Please tell the administrator.</source>
        <translation>O serviço está mal configurado, então não é possível enviar códigos agora. Avise o administrador.</translation>
    </message>
    <message>
        <source>Could not reach the messaging service. Check the internet connection and try again.</source>
        <translation>Não foi possível acessar o serviço de mensagens. Verifique a conexão com a internet e tente de novo.</translation>
    </message>
    <message>
        <source>The messaging service did not answer in time. The code may still arrive; if it does not, try again.</source>
        <translation>O serviço de mensagens não respondeu a tempo. O código ainda pode chegar; se não chegar, tente de novo.</translation>
    </message>
    <message>
        <source>The messaging service has a problem right now. Try again in a minute.</source>
        <translation>O serviço de mensagens está com um problema agora. Tente de novo em um minuto.</translation>
    </message>
    <message>
        <source>The messaging service sent an answer that could not be read. Try again.</source>
        <translation>O serviço de mensagens enviou uma resposta que não pôde ser lida. Tente de novo.</translation>
    </message>
    <message>
        <source>The message could not be sent (Twilio error %1, see %2).</source>
        <translation>Não foi possível enviar a mensagem (erro do Twilio %1, veja %2).</translation>
    </message>
    <message>
        <source>The message could not be sent. Try again.</source>
        <translation>Não foi possível enviar a mensagem. Tente de novo.</translation>
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
        <translation>entregues</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>verificados</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>com falha</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expirados</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>limitados por excesso de solicitações</translation>
    </message>
    <message>
        <source>Nothing counted yet.</source>
        <translation>Nada foi contado ainda.</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>Desde %1</translation>
    </message>
    <message>
        <source>held back after wrong codes</source>
        <translation>retidos após códigos errados</translation>
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
        <translation>Fecha esta janela</translation>
    </message>
    <message>
        <source>Account created</source>
        <translation>Conta criada</translation>
    </message>
    <message>
        <source>Welcome back</source>
        <translation>Olá de novo</translation>
    </message>
    <message>
        <source>Your number is verified and your account is ready.</source>
        <translation>Seu número foi verificado e sua conta está pronta.</translation>
    </message>
    <message>
        <source>Your number is verified. You&apos;re signed in.</source>
        <translation>Seu número foi verificado. Você entrou na sua conta.</translation>
    </message>
</context>
<context>
    <name>waotp::TwilioMessagesSender</name>
    <message>
        <source>Your %1 sign-up code is %2.</source>
        <translation>Seu código de cadastro no %1 é %2.</translation>
    </message>
    <message>
        <source>Your %1 sign-in code is %2.</source>
        <translation>Seu código de acesso ao %1 é %2.</translation>
    </message>
    <message>
        <source>Do not share it.</source>
        <translation>Não compartilhe com ninguém.</translation>
    </message>
    <message>
        <source>It expires in 1 second.</source>
        <translation>Ele expira em 1 segundo.</translation>
    </message>
    <message>
        <source>It expires in %1 seconds.</source>
        <translation>Ele expira em %1 segundos.</translation>
    </message>
    <message>
        <source>It expires in 1 minute.</source>
        <translation>Ele expira em 1 minuto.</translation>
    </message>
    <message>
        <source>It expires in %1 minutes.</source>
        <translation>Ele expira em %1 minutos.</translation>
    </message>
</context>
<context>
    <name>waotp::VerificationDialog</name>
    <message>
        <source>Verify your phone number</source>
        <translation>Verifique seu número de telefone</translation>
    </message>
    <message>
        <source>There&apos;s no account for %1 yet.</source>
        <translation>Ainda não há uma conta para %1.</translation>
    </message>
    <message>
        <source>%1 already has an account.</source>
        <translation>%1 já tem uma conta.</translation>
    </message>
    <message>
        <source>Sign up instead</source>
        <translation>Cadastre-se em vez disso</translation>
    </message>
    <message>
        <source>Sign in instead</source>
        <translation>Entre em vez disso</translation>
    </message>
    <message>
        <source>Your account can&apos;t be checked right now. Try again in a moment.</source>
        <translation>Não é possível verificar sua conta agora. Tente de novo daqui a pouco.</translation>
    </message>
    <message>
        <source>Code sent by SMS</source>
        <translation>Código enviado por SMS</translation>
    </message>
    <message>
        <source>New code sent by SMS</source>
        <translation>Novo código enviado por SMS</translation>
    </message>
    <message>
        <source>Code sent on WhatsApp</source>
        <translation>Código enviado pelo WhatsApp</translation>
    </message>
    <message>
        <source>New code sent on WhatsApp</source>
        <translation>Novo código enviado pelo WhatsApp</translation>
    </message>
    <message>
        <source>Your account couldn&apos;t be saved. Please try again.</source>
        <translation>Não foi possível salvar sua conta. Tente de novo.</translation>
    </message>
    <message>
        <source>You couldn&apos;t be signed in right now. Please try again.</source>
        <translation>Não foi possível fazer você entrar agora. Tente de novo.</translation>
    </message>
    <message>
        <source>Demo code: %1</source>
        <translation>Código de demonstração: %1</translation>
    </message>
    <message>
        <source>If %1 has an account, a code is on its way.</source>
        <translation>Se %1 tiver uma conta, o código está a caminho.</translation>
    </message>
    <message>
        <source>No code? %1 may not have an account yet.</source>
        <translation>Não recebeu o código? Talvez %1 ainda não tenha uma conta.</translation>
    </message>
    <message>
        <source>If %1 has no account yet, a code is on its way.</source>
        <translation>Se %1 ainda não tiver uma conta, o código está a caminho.</translation>
    </message>
    <message>
        <source>No code? %1 may already have an account.</source>
        <translation>Não recebeu o código? Talvez %1 já tenha uma conta.</translation>
    </message>
</context>
<context>
    <name>waotp::VerifyPage</name>
    <message>
        <source>Verify your number</source>
        <translation>Verifique seu número</translation>
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
        <translation>Volte e altere o número de telefone</translation>
    </message>
    <message>
        <source>No 6-digit code in the pasted text</source>
        <translation>O texto colado não contém um código de 6 dígitos</translation>
    </message>
    <message>
        <source>Send by &amp;SMS instead</source>
        <translation>Enviar por &amp;SMS em vez disso</translation>
    </message>
    <message>
        <source>Send by SMS instead</source>
        <translation>Enviar por SMS em vez disso</translation>
    </message>
    <message>
        <source>Sends the code as a text message</source>
        <translation>Envia o código por mensagem de texto</translation>
    </message>
    <message>
        <source>Enter the 6-digit code we sent to %1 by SMS</source>
        <translation>Digite o código de 6 dígitos que enviamos para %1 por SMS</translation>
    </message>
    <message>
        <source>Enter the 6-digit code we sent to %1 on WhatsApp</source>
        <translation>Digite o código de 6 dígitos que enviamos para %1 pelo WhatsApp</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Verificando…</translation>
    </message>
    <message>
        <source>Message status: %1</source>
        <translation>Status da mensagem: %1</translation>
    </message>
    <message>
        <source>The code wasn&apos;t delivered on WhatsApp. Resend it, or get it by SMS.</source>
        <translation>O código não foi entregue pelo WhatsApp. Reenvie ou receba por SMS.</translation>
    </message>
    <message>
        <source>The code wasn&apos;t delivered. Check the number, or resend the code.</source>
        <translation>O código não foi entregue. Confira o número ou reenvie o código.</translation>
    </message>
</context>
</TS>
