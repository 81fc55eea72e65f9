#pragma once

#include "engine/Clock.h"
#include "engine/CodeSender.h"
#include "engine/PhoneNumber.h"
#include "engine/VerificationBackend.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace waotp {

/// The longest nonce a verification is created with, in characters (Unicode code points): the
/// server copies it into the token so that a platform can bind the token to its login session.
inline constexpr int MaxNonceLength = 128;

/// What a verification server answered an approved code with: the token a platform's backend
/// checks against the server's published keys.
struct VerificationToken
{
    PhoneNumber number;
    bool accountCreated = false; ///< the server's "account": "created" (else "existing")
    QString accountId; ///< the account's stable id (the token's "sub")
    QByteArray token; ///< the signed JWT
    Clock::TimePoint expiresAt; ///< the token's "expires_in", from when the answer came
    bool demo = false; ///< a demo server's token, which no platform accepts
};

/// A VerificationBackend that is a verification server (waotp-server) reached over the network:
/// the server holds the provider's secret, keeps the codes and the accounts, and answers an
/// approved code with a token. What the app needs beyond the flow's interface is here.
class RemoteVerificationBackend : public VerificationBackend
{
    Q_OBJECT
public:
    using VerificationBackend::VerificationBackend;
    ~RemoteVerificationBackend() override;

    /// Creates every later verification with @p nonce (empty: none); the server copies it into
    /// the token of its approval.
    virtual void setNonce(const QString &nonce) = 0;
    /// The server's base URL.
    virtual QUrl serverUrl() const = 0;
    /// Asks the server whether it is there and what it is (demo or live), ahead of the first
    /// request: serviceKnown() or serviceUnreachable() follows, later, exactly once.
    virtual void probe() = 0;
    /// True once an answer of the server said it is a demo server.
    virtual bool isDemoService() const = 0;
    /// The token of the last approved code, if any.
    virtual std::optional<VerificationToken> lastToken() const = 0;
    /// Runs the event loop until the cancellations already asked for have been answered, and
    /// the sends still on their way too (the cancellation of a code they bring, which nobody
    /// waits for any more, follows them), or @p limit has passed: for a process about to exit,
    /// so that a code left pending when the window closed is void on the server too.
    virtual void finishCancellations(std::chrono::milliseconds limit) = 0;

Q_SIGNALS:
    /// The server answered (probe() or any request) for the first time; @p demo: it is a demo
    /// server, which sends nothing and shows the code.
    void serviceKnown(bool demo);
    /// probe() got no usable answer; @p plainWords says why.
    void serviceUnreachable(const QString &plainWords);
    /// A demo server's code for @p to ("demo_code"): a live server never reveals one.
    void codeShown(const waotp::PhoneNumber &to, const QString &code);
    /// A code was approved: the server's token.
    void tokenIssued(const waotp::VerificationToken &token);
};

} // namespace waotp

Q_DECLARE_METATYPE(waotp::VerificationToken)
