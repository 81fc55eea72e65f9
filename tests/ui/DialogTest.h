#pragma once

#include "UiFixture.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QObject>
#include <QTest>

#include <memory>

namespace waotp::test {

/// The base of the dialog's test classes: each test starts with an empty clipboard and a fresh
/// fixture whose dialog is shown and active, and ends without it.
class DialogTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QGuiApplication::clipboard()->clear();
        m_f = std::make_unique<UiFixture>();
        m_f->dialog->show();
        QVERIFY(QTest::qWaitForWindowActive(m_f->dialog.get()));
    }
    void cleanup() { m_f.reset(); }

protected:
    /// The number the tests type, and how the dialog shows it.
    static constexpr auto Number = "9876543210";
    static inline const QString International = QStringLiteral("+91 98765 43210");
    /// ...and how sentences show it: one left-to-right piece that never wraps.
    static inline const QString InText = phoneNumberInText(International);

    std::unique_ptr<UiFixture> m_f;
};

} // namespace waotp::test
