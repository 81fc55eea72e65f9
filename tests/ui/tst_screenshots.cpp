// Grabs every page in the light and dark themes, for review: PNGs go to
// <build>/screenshots/ and, with WAOTP_UPDATE_SCREENSHOTS=1, to docs/screenshots/.
#include "Theme.h"
#include "Toast.h"
#include "UiFixture.h"
#include "VerifyPage.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QTest>

using namespace waotp;
using namespace waotp::test;
using namespace std::chrono_literals;

class tst_Screenshots : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pages_data();
    void pages();
    void kiosk_data();
    void kiosk();
    void largeText();
    void errors();

private:
    void save(QWidget *w, const QString &name);
    QStringList m_dirs;
};

void tst_Screenshots::initTestCase()
{
    const QString suffix = qApp->devicePixelRatio() > 1.0 ? QStringLiteral("-2x") : QString();
    m_dirs << QStringLiteral(WAOTP_SCREENSHOT_DIR) + suffix;
    if (qEnvironmentVariableIntValue("WAOTP_UPDATE_SCREENSHOTS") == 1)
        m_dirs << QStringLiteral(WAOTP_DOCS_SCREENSHOT_DIR);
    for (const QString &dir : m_dirs)
        QVERIFY(QDir().mkpath(dir));
}

void tst_Screenshots::save(QWidget *w, const QString &name)
{
    const QPixmap shot = w->grab();
    QVERIFY(!shot.isNull());
    // The picture must be more than a blank window: the header colour must be in it.
    const QImage image = shot.toImage();
    const QColor header = currentThemeColors().header;
    bool headerSeen = false;
    for (int y = 0; y < image.height() && !headerSeen; y += 4)
        headerSeen = image.pixelColor(image.width() / 2, y) == header;
    QVERIFY2(headerSeen, qPrintable(name));
    const QString suffix = qApp->devicePixelRatio() > 1.0 ? QStringLiteral("@2x") : QString();
    for (const QString &dir : std::as_const(m_dirs)) {
        if (dir.endsWith(QLatin1String("docs/screenshots")) && !suffix.isEmpty())
            continue; // the README shows the 1x pictures
        QVERIFY(shot.save(dir + QLatin1Char('/') + name + suffix + QStringLiteral(".png")));
    }
}

void tst_Screenshots::pages_data()
{
    QTest::addColumn<Theme>("theme");
    QTest::newRow("light") << Theme::Light;
    QTest::newRow("dark") << Theme::Dark;
}

void tst_Screenshots::pages()
{
    QFETCH(Theme, theme);
    applyTheme(*qApp, theme);
    const QString t = themeName(theme);

    DialogOptions options;
    options.demoMode = true;
    UiFixture f(options);
    f.dialog->resize(460, 600);
    f.dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get()));

    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("9876543210"));
    save(f.dialog.get(), QStringLiteral("phone-") + t);

    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    QTRY_COMPARE(f.dialog->currentPage(), f.verifyPage());
    f.dialog->showDemoCode(f.sender.sent.last().to,
                           QStringLiteral("123456")); // same picture every run
    f.clock.advance(1s);
    f.verifyPage()->tick();
    f.verifyPage()->setDeliveryStatus(DeliveryStatus::Read, false);
    save(f.dialog.get(), QStringLiteral("code-") + t);

    f.dialog->toast()->dismiss();
    f.typeCode(f.wrongCode());
    QTRY_VERIFY(!f.codeInput()->isReadOnly());
    QVERIFY(f.codeInput()->hasError());
    save(f.dialog.get(), QStringLiteral("wrong-code-") + t);

    f.dialog->setSuccessDelay(1h);
    f.typeCode(f.lastCode());
    QTRY_COMPARE(f.dialog->currentPage(), static_cast<QWidget *>(f.dialog->successPage()));
    f.dialog->toast()->dismiss();
    save(f.dialog.get(), QStringLiteral("success-") + t);
}

void tst_Screenshots::kiosk_data()
{
    pages_data();
}

void tst_Screenshots::kiosk()
{
    QFETCH(Theme, theme);
    applyTheme(*qApp, theme);
    DialogOptions options;
    options.kiosk = true;
    options.initialFlow = Purpose::SignIn;
    UiFixture f(options);
    f.dialog->resize(560, 900);
    f.dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get()));
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("98765"));
    save(f.dialog.get(), QStringLiteral("kiosk-") + themeName(theme));
}

void tst_Screenshots::largeText()
{
    // 200% text: the layout grows instead of cutting anything off.
    applyTheme(*qApp, Theme::Light);
    UiFixture f;
    QFont big = f.dialog->font();
    big.setPointSizeF(big.pointSizeF() * 2);
    f.dialog->setFont(big);
    f.dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get()));
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    f.verifyPage()->setDeliveryStatus(DeliveryStatus::Delivered, false);
    f.dialog->toast()->dismiss();
    save(f.dialog.get(), QStringLiteral("code-200pct-light"));
}

void tst_Screenshots::errors()
{
    applyTheme(*qApp, Theme::Light);
    DialogOptions options;
    options.initialFlow = Purpose::SignIn;
    options.smsFallbackAvailable = true;
    UiFixture f(options);
    f.dialog->resize(460, 600);
    f.dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.dialog.get()));
    QTest::keyClicks(f.phonePage()->phoneEdit(), QStringLiteral("9876543210"));
    QTest::mouseClick(f.phonePage()->sendButton(), Qt::LeftButton);
    save(f.dialog.get(), QStringLiteral("no-account-light"));

    f.phonePage()->setFlow(Purpose::SignUp);
    QVERIFY(f.sendTo(QStringLiteral("9876543210")));
    f.dialog->toast()->dismiss();
    f.sender.jobs.last()->updateDeliveryStatus(DeliveryStatus::Undelivered, 63024);
    QTRY_VERIFY(f.verifyPage()->smsButton()->isVisible());
    save(f.dialog.get(), QStringLiteral("undelivered-light"));

    f.clock.advance(std::chrono::minutes(5));
    f.verifyPage()->tick();
    save(f.dialog.get(), QStringLiteral("expired-light"));
}

QTEST_MAIN(tst_Screenshots)
#include "tst_screenshots.moc"
