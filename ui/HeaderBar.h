#pragma once

#include <QWidget>

class QLabel;

namespace waotp {

/// The teal bar on top of the card: our chat-bubble mark, the title and, in demo mode, the
/// always-visible "Demo mode" badge.
class HeaderBar : public QWidget
{
    Q_OBJECT
public:
    HeaderBar(bool demoMode, QWidget *parent = nullptr);

    QLabel *demoBadge() const { return m_badge; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateLogo();

    QLabel *m_logo = nullptr;
    QLabel *m_badge = nullptr;
};

} // namespace waotp
