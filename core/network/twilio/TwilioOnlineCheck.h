#pragma once

#include "engine/Config.h"
#include "engine/TwilioApi.h"

#include <QObject>
#include <QString>

#include <memory>

class QNetworkAccessManager;

namespace waotp {

/// Asks Twilio whether the configured credentials work: GET /2010-04-01/Accounts/{Sid}.json
/// (and, with a Verify service, GET /v2/Services/{Sid}). start() returns at once; finished()
/// comes exactly once, later, with the answer in plain words (never a secret).
class OnlineCheck : public QObject
{
    Q_OBJECT
public:
    OnlineCheck(const AppConfig &config, QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~OnlineCheck() override;

    /// Time limits of the requests (short ones in tests).
    void setTimings(const TwilioTimings &timings);
    void start();

Q_SIGNALS:
    void finished(bool ok, const QString &plainWords);

private:
    void checkAccount();
    void checkVerifyService(const QString &accountWords);
    void done(bool ok, const QString &words);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace waotp
