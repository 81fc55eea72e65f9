#pragma once

#include <QFrame>
#include <QString>

#include <chrono>

class QLabel;
class QTimer;

namespace waotp {

/// A non-blocking notice that floats over the bottom of its parent and goes away by itself:
/// "Code sent", errors, and in demo mode "Demo code: 123456". Clicks pass through it.
class Toast : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Info, Error, Demo };
    Q_ENUM(Kind)

    explicit Toast(QWidget *parent);
    ~Toast() override;

    /// Shows @p text for @p duration, replacing what was shown (a demo code is replaced only
    /// by another demo code, so "Code sent" cannot hide it).
    void showMessage(const QString &text, Kind kind = Kind::Info,
                     std::chrono::milliseconds duration = std::chrono::seconds(4));
    /// Hides the toast now.
    void dismiss();

    QString text() const;
    Kind kind() const { return m_kind; }
    bool isShowing() const { return m_showing; }
    /// The timer that dismisses the toast, for tests.
    QTimer *dismissTimer() const { return m_timer; }

Q_SIGNALS:
    void shown(const QString &text, waotp::Toast::Kind kind);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void place();

    QLabel *m_label = nullptr;
    QTimer *m_timer = nullptr;
    Kind m_kind = Kind::Info;
    bool m_showing = false;
};

} // namespace waotp
