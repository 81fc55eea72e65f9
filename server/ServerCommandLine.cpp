#include "server/ServerCommandLine.h"

#include "server/ServerSettings.h"

#include <QCommandLineParser>

namespace waotp::server {

ParsedServerCommandLine parseServerCommandLine(const QStringList &arguments)
{
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QStringLiteral("Demo mode: nothing is sent, each answer carries its code (demo_code) and "
                       "is marked \"demo\": true, as is every token. Loopback only."));
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Listen on this address (default "
                                                   "127.0.0.1:8470)."),
                                    QStringLiteral("host:port"));
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("Keep the account database and the signing keys in this directory."),
        QStringLiteral("dir"));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("Read the settings from this INI file."),
                                    QStringLiteral("file"));
    const QCommandLineOption publicUrl(
        QStringLiteral("public-url"),
        QStringLiteral("The URL clients reach the server at; the tokens' issuer."),
        QStringLiteral("url"));
    const QCommandLineOption checkConfig(QStringLiteral("check-config"),
                                         QStringLiteral("Report the settings in effect and "
                                                        "exit (2 if they are not valid)."));
    const QCommandLineOption rotateKey(
        QStringLiteral("rotate-key"),
        QStringLiteral("Add a signing key: published at once, signing once every cached JWKS "
                       "has it; delete the keys whose tokens have all expired. Then exit."));
    const QCommandLineOption importAccounts(
        QStringLiteral("import-accounts"),
        QStringLiteral("Import the accounts of a waotp desktop or kiosk account database "
                       "(accounts.sqlite) into the server's, then exit. Importing twice adds "
                       "nothing."),
        QStringLiteral("file"));
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Phone number verification over HTTP: codes by WhatsApp (Twilio), answers "
                       "as signed tokens.\n\nSettings (command line, then environment, then the "
                       "INI file; Twilio, store and policy settings as for waotp):\n")
        + serverSettingsHelp());
    parser.addOptions(
        {demo, listen, dataDir, config, publicUrl, checkConfig, rotateKey, importAccounts});
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();

    ParsedServerCommandLine r;
    if (!parser.parse(arguments)) {
        r.text = parser.errorText();
        return r;
    }
    if (!parser.positionalArguments().isEmpty()) {
        r.text =
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first());
        return r;
    }
    if (parser.isSet(help)) {
        r.action = ParsedServerCommandLine::Action::ShowHelp;
        r.text = parser.helpText();
        return r;
    }
    if (parser.isSet(version)) {
        r.action = ParsedServerCommandLine::Action::ShowVersion;
        r.text = QStringLiteral("waotp-server %1\n").arg(QStringLiteral(WAOTP_VERSION));
        return r;
    }
    ServerOptions &o = r.options;
    o.demo = parser.isSet(demo);
    o.checkConfig = parser.isSet(checkConfig);
    o.configFile = parser.value(config);
    o.rotateKey = parser.isSet(rotateKey);
    o.importAccounts = parser.value(importAccounts);
    if (parser.isSet(importAccounts) && o.importAccounts.isEmpty()) {
        r.text = QStringLiteral("--import-accounts needs the file to import");
        return r;
    }
    if (int(o.checkConfig) + int(o.rotateKey) + int(parser.isSet(importAccounts)) > 1) {
        r.text = QStringLiteral("--check-config, --rotate-key and --import-accounts each do one "
                                "thing: give one of them");
        return r;
    }
    const std::pair<const QCommandLineOption *, const char16_t *> mapped[] = {
        {&listen, u"WAOTP_LISTEN"},
        {&dataDir, u"WAOTP_DATA_DIR"},
        {&publicUrl, u"WAOTP_PUBLIC_URL"},
    };
    for (const auto &[option, env] : mapped) {
        if (parser.isSet(*option))
            o.overrides.insert(QString::fromUtf16(env), parser.value(*option));
    }
    r.action = ParsedServerCommandLine::Action::Run;
    return r;
}

} // namespace waotp::server
