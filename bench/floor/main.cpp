// The bare-Qt floor of the start-up benchmark (issue 6): the least a Qt Widgets program with
// the same visible parts as the verification dialog costs. One line edit (the phone number),
// six one-character line edits (the code), a label updated by a 1 s timer (the countdown) and a
// button. No resources, no translations, no style sheet, no libraries beyond QtWidgets.
//
//   waotp_floor [--size WIDTHxHEIGHT]   the window at that size (bench/run.sh: waotp's), instead
//                                       of the size its contents need
#include <QApplication>
#include <QDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);

    QDialog dialog;
    dialog.setWindowTitle(QStringLiteral("floor"));
    auto *layout = new QVBoxLayout(&dialog);

    auto *phoneEdit = new QLineEdit(&dialog);
    phoneEdit->setPlaceholderText(QStringLiteral("98765 43210"));
    layout->addWidget(phoneEdit);

    auto *codeRow = new QHBoxLayout;
    for (int i = 0; i < 6; ++i) {
        auto *digitEdit = new QLineEdit(&dialog);
        digitEdit->setMaxLength(1);
        digitEdit->setFixedWidth(40);
        digitEdit->setAlignment(Qt::AlignCenter);
        codeRow->addWidget(digitEdit);
    }
    layout->addLayout(codeRow);

    auto *countdownLabel = new QLabel(&dialog);
    layout->addWidget(countdownLabel);
    auto *button = new QPushButton(QStringLiteral("Verify"), &dialog);
    layout->addWidget(button);

    int secondsLeft = 300;
    const auto tick = [&] {
        countdownLabel->setText(QStringLiteral("Code expires in %1:%2")
                                    .arg(secondsLeft / 60)
                                    .arg(secondsLeft % 60, 2, 10, QLatin1Char('0')));
        secondsLeft = secondsLeft > 0 ? secondsLeft - 1 : 300;
    };
    tick();
    QTimer timer;
    timer.setInterval(1000);
    QObject::connect(&timer, &QTimer::timeout, &dialog, tick);
    timer.start();

    // A first frame costs per pixel too (the backing store is filled and handed to the X
    // server): the same window size as waotp's separates that from the program's own work.
    const QStringList args = QCoreApplication::arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--size"));
        at >= 0 && at + 1 < args.size()) {
        const QStringList parts = args.at(at + 1).split(QLatin1Char('x'));
        if (parts.size() == 2 && parts.at(0).toInt() > 0 && parts.at(1).toInt() > 0)
            dialog.resize(parts.at(0).toInt(), parts.at(1).toInt());
    }
    // Modal, like the verification dialog. It matters for the idle figure: without a window
    // manager (Xvfb) only a modal dialog is activated, and only an active window's focused line
    // edit blinks its cursor; a floor that never blinks would compare an unfocused window with
    // a focused one.
    dialog.setModal(true);
    dialog.show();
    return app.exec();
}
