#pragma once

#include "engine/CodeHasher.h"
#include "network/twilio/TwilioSender.h"

#include <QHash>
#include <QSet>

class tst_TwilioVerifySender;

namespace waotp {

/// Twilio Verify as the code provider: Twilio generates, sends and checks the code, the app
/// never sees it. send() starts a verification (POST /v2/Services/{Sid}/Verifications, To,
/// Channel=whatsapp or sms, Locale); check() asks Twilio (POST .../VerificationCheck, Code, To);
/// cancelCode() voids it (POST .../Verifications/{VerificationSid}, Status=canceled).
class TwilioVerifySender final : public TwilioSender
{
    Q_OBJECT
public:
    TwilioVerifySender(const TwilioSettings &settings, QNetworkAccessManager *nam,
                       const TwilioTimings &timings = {}, QObject *parent = nullptr);
    ~TwilioVerifySender() override;

    /// WhatsApp always; SMS when enabled with setSmsEnabled().
    bool supportsChannel(Channel channel) const override;
    bool generatesCodes() const override { return true; }
    CheckJob *check(const PhoneNumber &to, const QString &code) override;
    /// Cancels the verification @p messageId (its SID) at Twilio, so that its code no longer
    /// verifies there (a verification otherwise stays valid for 10 minutes).
    void cancelCode(const QString &messageId) override;

    /// Offers "Send by SMS instead" (Verify's sms channel). Default: off.
    void setSmsEnabled(bool enabled) { m_smsEnabled = enabled; }
    /// Wrong codes Verify accepts per verification before it refuses (60202). Default 5, as
    /// Twilio's default; used to tell the person how many attempts are left.
    void setMaxCheckAttempts(int attempts) { m_maxCheckAttempts = std::max(1, attempts); }

    FormFields verificationForm(const OutgoingCode &code) const;
    static FormFields checkForm(const PhoneNumber &to, const QString &code);
    static FormFields cancelForm();
    QString verificationsPath() const;
    QString verificationPath(const QString &verificationSid) const;
    QString verificationCheckPath() const;

private:
    friend class TwilioVerificationJob;
    friend class TwilioVerifyCheckJob;
    friend class ::tst_TwilioVerifySender;
    QString refusal(const OutgoingCode &code) const override;
    SendJob *start(const OutgoingCode &code) override;
    /// The number as the containers below know it: HMAC-SHA-256 under a key of this sender's
    /// (random, never stored), so they hold no number in clear.
    QByteArray numberKey(const PhoneNumber &to) const;

    bool m_smsEnabled = false;
    int m_maxCheckAttempts = 5;
    CodeHasher m_numberHasher;
    QHash<QByteArray, int> m_wrongChecks; // numberKey -> wrong codes since the last verification
    QSet<QByteArray> m_knownNumbers; // numberKey of every number a verification was started for
};

} // namespace waotp
