#pragma once

#include <QByteArray>
#include <QIODevice>

namespace waotp {

/// A request body that can be read once but never rewound, and that overwrites its bytes (which
/// may hold a code) as soon as the last one has been read. When the connection closes before any
/// answer, Qt resends a request only if it can rewind its body; with this device it fails the
/// request (ContentReSendError) instead, so a POST never reaches its server twice (Twilio would
/// send a second message, waotp-server a second code) and the body is not needed again once
/// read.
class OneShotBody final : public QIODevice
{
public:
    /// @p data should be the only copy of its bytes (a moved-in QByteArray): a shared copy
    /// cannot be overwritten (see overwrite()).
    OneShotBody(QByteArray data, QObject *parent);
    ~OneShotBody() override;

    qint64 size() const override { return m_size; }
    bool seek(qint64 pos) override;
    bool reset() override { return seek(0); }
    bool atEnd() const override { return m_readPos >= m_size; }
    qint64 bytesAvailable() const override { return m_size - m_readPos; }

    /// The bytes it holds: the body until it has been read, then as many zeros.
    const QByteArray &retained() const { return m_data; }

protected:
    qint64 readData(char *out, qint64 max) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_size;
    qint64 m_readPos = 0;
    bool m_started = false;
};

} // namespace waotp
