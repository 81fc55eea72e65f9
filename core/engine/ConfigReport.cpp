#include "engine/ConfigReport.h"

#include "engine/ConfigSettings.h"

#include <QFileInfo>

namespace waotp {

namespace {

QString displayValue(const ConfigSetting &setting, const AppConfig &config)
{
    const QString value = setting.display(config);
    if (value.isEmpty())
        return QStringLiteral("not set");
    return setting.secret ? QStringLiteral("set (hidden)") : value;
}

QString describeFile(const ConfigResult &r)
{
    if (r.filePath.isEmpty())
        return QStringLiteral("none");
    QString state = QStringLiteral("not found");
    if (r.fileRead)
        state = QStringLiteral("read");
    else if (QFileInfo::exists(r.filePath))
        state = QStringLiteral("not used");
    return QStringLiteral("%1 (%2)").arg(r.filePath, state);
}

QString describeLiveMode(const AppConfig &c)
{
    const TwilioSettings &t = c.twilio;
    QString mode = t.verifyServiceSid.isEmpty()
        ? QStringLiteral("live: WhatsApp codes through the Twilio Messages API from %1%2")
              .arg(t.messagingServiceSid.isEmpty()
                       ? t.whatsappFrom
                       : QStringLiteral("the senders of messaging service %1")
                             .arg(t.messagingServiceSid),
                   t.contentSid.isEmpty() ? QStringLiteral(" (message text)")
                                          : QStringLiteral(" (template %1)").arg(t.contentSid))
        : QStringLiteral("live: Twilio Verify service %1 sends and checks the codes by WhatsApp")
              .arg(t.verifyServiceSid);
    if (!t.smsFrom.isEmpty())
        mode += QStringLiteral("; SMS fallback %1")
                    .arg(t.verifyServiceSid.isEmpty() ? QStringLiteral("from ") + t.smsFrom
                                                      : QStringLiteral("through Verify"));
    mode +=
        QStringLiteral("; authenticated with %1")
            .arg(t.usesApiKey() ? QStringLiteral("the API key") : QStringLiteral("the auth token"));
    return mode;
}

QString describeMode(const ConfigResult &r)
{
    if (!r.ok())
        return QStringLiteral("none: the configuration has errors, the app will not start");
    if (r.config.mode() == AppConfig::Mode::Demo)
        return QStringLiteral("demo: no Twilio credentials; nothing is sent, codes are shown on "
                              "screen");
    if (r.config.mode() == AppConfig::Mode::Server)
        return QStringLiteral("server: the verification server at %1 sends and checks the codes "
                              "and keeps the accounts; no secret on this machine")
            .arg(r.config.serverUrl.toDisplayString());
    return describeLiveMode(r.config);
}

void appendList(QStringList &lines, const QString &title, const QStringList &items)
{
    if (items.isEmpty())
        return;
    lines << title;
    for (const QString &item : items)
        lines << QStringLiteral("  - ") + item;
}

} // namespace

QString describeConfig(const ConfigResult &r, const QString &mode)
{
    QStringList lines;
    lines << QStringLiteral("Configuration file: %1").arg(describeFile(r));
    lines << QStringLiteral("Mode: %1").arg(mode.isEmpty() ? describeMode(r) : mode);
    lines << QStringLiteral("Settings:");
    for (const ConfigSetting &setting : configSettings()) {
        if (setting.isRetired())
            continue; // never in effect; a warning below says so if it is set
        const QString name = setting.nameString();
        lines << QStringLiteral("  %1 %2 (%3)")
                     .arg(name.leftJustified(27), displayValue(setting, r.config),
                          r.sources.value(name, SourceDefault.toString()));
    }
    appendList(lines, QStringLiteral("Errors:"), r.errors);
    appendList(lines, QStringLiteral("Warnings:"), r.warnings);
    lines << (r.ok() ? QStringLiteral("Result: OK")
                     : QStringLiteral("Result: %1 error(s)").arg(r.errors.size()));
    return lines.join(u'\n') + u'\n';
}

} // namespace waotp
