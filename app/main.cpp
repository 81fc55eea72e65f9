#include "PlaceholderWindow.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("waotp"));
    QApplication::setApplicationVersion(QStringLiteral(WAOTP_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Sign up or sign in by phone number with a one-time code on WhatsApp."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Demo mode: no network, the code is shown on screen."));
    parser.addOption(demo);
    parser.process(app);

    waotp::PlaceholderWindow window;
    window.show();
    return app.exec();
}
