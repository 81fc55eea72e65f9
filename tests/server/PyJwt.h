#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace waotp::test {

/// What PyJWT (verify_token.py) made of a token.
struct PyJwtResult
{
    bool accepted = false;
    QJsonObject header;
    QJsonObject claims;
    QString refusal; ///< PyJWT's reason when it refused
};

/// Verifies @p token against the JWK Set @p jwks with PyJWT, run by Debian's /usr/bin/python3.
inline PyJwtResult verifyWithPyJwt(const QJsonObject &jwks, const QByteArray &token,
                                   const QString &audience, const QString &issuer)
{
    PyJwtResult result;
    QTemporaryDir dir;
    const QString jwksFile = dir.filePath(QStringLiteral("jwks.json"));
    const QString tokenFile = dir.filePath(QStringLiteral("token"));
    QFile j(jwksFile), t(tokenFile);
    if (!j.open(QIODevice::WriteOnly) || !t.open(QIODevice::WriteOnly)) {
        result.refusal = QStringLiteral("cannot write the temporary files");
        return result;
    }
    j.write(QJsonDocument(jwks).toJson());
    t.write(token);
    j.close();
    t.close();
    QProcess python;
    python.start(
        QStringLiteral("/usr/bin/python3"),
        {QStringLiteral(WAOTP_VERIFY_TOKEN_SCRIPT), jwksFile, tokenFile, audience, issuer});
    if (!python.waitForFinished(30000)) {
        result.refusal = QStringLiteral("python3 did not run: %1").arg(python.errorString());
        return result;
    }
    result.accepted = python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0;
    result.refusal = QString::fromUtf8(python.readAllStandardError()).trimmed();
    if (result.accepted) {
        const QJsonObject out = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
        result.header = out.value(QStringLiteral("header")).toObject();
        result.claims = out.value(QStringLiteral("claims")).toObject();
    }
    return result;
}

#ifdef WAOTP_README_CHECK_SCRIPT
/// What the README's backend check (its verified_phone()) made of one token.
struct ReadmeCheck
{
    bool ok = false;
    QString phone;
    QString subject;
    QString error; ///< PyJWT's reason, when it refused
};

/// Runs the backend check README.md prints, against the server whose issuer (and base URL) is
/// @p issuer, on each (token, nonce) in order with one set of seen token ids. Empty if it could
/// not run.
inline QList<ReadmeCheck> readmeBackendCheck(const QString &issuer,
                                             const QList<std::pair<QByteArray, QString>> &tokens)
{
    QTemporaryDir dir;
    QStringList args {QStringLiteral(WAOTP_README_CHECK_SCRIPT), QStringLiteral(WAOTP_README),
                      issuer};
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        QFile f(dir.filePath(QString::number(i)));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(tokens[i].first);
        args << f.fileName() << tokens[i].second;
    }
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), args);
    // PyJWKClient fetches the keys with a blocking call: the server must be in another process,
    // or in this one with its event loop free while python runs.
    if (!QTest::qWaitFor([&] { return python.state() == QProcess::NotRunning; }, 30000)
        || python.exitCode() != 0) {
        qWarning("readme_backend_check.py: %s", python.readAllStandardError().constData());
        return {};
    }
    QList<ReadmeCheck> results;
    const QJsonArray out = QJsonDocument::fromJson(python.readAllStandardOutput()).array();
    for (const QJsonValue &v : out) {
        const QJsonObject o = v.toObject();
        results.append({o.value(u"ok").toBool(), o.value(u"phone").toString(),
                        o.value(u"sub").toString(), o.value(u"error").toString()});
    }
    return results;
}
#endif

/// @p token with its payload replaced by @p payload (the signature kept): a forgery.
inline QByteArray withPayload(const QByteArray &token, const QJsonObject &payload)
{
    const QList<QByteArray> parts = token.split('.');
    const QByteArray encoded =
        QJsonDocument(payload)
            .toJson(QJsonDocument::Compact)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return parts.value(0) + '.' + encoded + '.' + parts.value(2);
}

/// The payload of @p token, unverified.
inline QJsonObject payloadOf(const QByteArray &token)
{
    const QByteArray part = token.split('.').value(1);
    return QJsonDocument::fromJson(QByteArray::fromBase64(part, QByteArray::Base64UrlEncoding))
        .object();
}

} // namespace waotp::test
