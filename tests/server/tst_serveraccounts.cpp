// The server's accounts: the app's account database plus a stable random id per account, given
// to existing accounts when the server first opens the file.
#include "server/token/ServerAccounts.h"

#include "engine/SqliteAccountStore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace waotp;
using namespace waotp::server;

namespace {

PhoneNumber number(const char *text)
{
    return *PhoneNumber::parse(QString::fromLatin1(text), u"IN").number;
}

} // namespace

class tst_ServerAccounts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();

    void signInCreatesThenFinds();
    void idsAreStableAndDistinct();
    void existingAccountsGetTheirIds();
    void accountsMadeElsewhereGetAnIdOnSignIn();
    void theAppStillOpensTheFile();
    void twoServersShareTheFile();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("accounts.sqlite")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_ServerAccounts::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_ServerAccounts::signInCreatesThenFinds()
{
    QString error;
    auto accounts = ServerAccounts::open(path(), &error);
    QVERIFY2(accounts, qPrintable(error));
    QVERIFY(accounts->isReady());
    const auto first = accounts->signIn(number("+919876543210"));
    QVERIFY(first);
    QVERIFY(first->created);
    QCOMPARE(first->id.size(), 22);
    const auto again = accounts->signIn(number("+919876543210"));
    QVERIFY(again);
    QVERIFY(!again->created);
    QCOMPARE(again->id, first->id);
}

void tst_ServerAccounts::idsAreStableAndDistinct()
{
    QString error;
    QString a, b;
    {
        auto accounts = ServerAccounts::open(path(), &error);
        QVERIFY(accounts);
        a = accounts->signIn(number("+919876543210"))->id;
        b = accounts->signIn(number("+14155552671"))->id;
    }
    QVERIFY(a != b);
    auto accounts = ServerAccounts::open(path(), &error);
    QVERIFY(accounts);
    QCOMPARE(accounts->accountId(QStringLiteral("+919876543210")), std::optional(a));
    QCOMPARE(accounts->signIn(number("+14155552671"))->id, b);
    QCOMPARE(accounts->accountId(QStringLiteral("+12025550123")), std::nullopt);
}

void tst_ServerAccounts::existingAccountsGetTheirIds()
{
    // A database as the desktop app leaves it: accounts keyed by number, no ids.
    {
        auto app = SqliteAccountStore::open(path());
        QVERIFY(app);
        QCOMPARE(app->createAccount(number("+919876543210")), AccountStore::Result::Ok);
        QCOMPARE(app->createAccount(number("+14155552671")), AccountStore::Result::Ok);
    }
    QString error;
    auto accounts = ServerAccounts::open(path(), &error);
    QVERIFY2(accounts, qPrintable(error));
    const auto a = accounts->accountId(QStringLiteral("+919876543210"));
    const auto b = accounts->accountId(QStringLiteral("+14155552671"));
    QVERIFY(a && b && *a != *b);
    const auto signedIn = accounts->signIn(number("+919876543210"));
    QVERIFY(signedIn);
    QVERIFY(!signedIn->created);
    QCOMPARE(signedIn->id, *a);
}

void tst_ServerAccounts::accountsMadeElsewhereGetAnIdOnSignIn()
{
    QString error;
    auto accounts = ServerAccounts::open(path(), &error);
    QVERIFY(accounts);
    {
        auto app = SqliteAccountStore::open(path());
        QVERIFY(app);
        QCOMPARE(app->createAccount(number("+919876543210")), AccountStore::Result::Ok);
    }
    QCOMPARE(accounts->accountId(QStringLiteral("+919876543210")), std::nullopt);
    const auto signedIn = accounts->signIn(number("+919876543210"));
    QVERIFY(signedIn);
    QVERIFY(!signedIn->created);
    QCOMPARE(accounts->accountId(QStringLiteral("+919876543210")), std::optional(signedIn->id));
}

void tst_ServerAccounts::theAppStillOpensTheFile()
{
    QString error;
    {
        auto accounts = ServerAccounts::open(path(), &error);
        QVERIFY(accounts);
        QVERIFY(accounts->signIn(number("+919876543210")));
    }
    auto app = SqliteAccountStore::open(path(), &error);
    QVERIFY2(app, qPrintable(error));
    QCOMPARE(app->schemaVersion(), SqliteAccountStore::SchemaVersion);
    QCOMPARE(app->isRegistered(number("+919876543210")), std::optional<bool>(true));
    QVERIFY(app->checkIntegrity());
}

void tst_ServerAccounts::twoServersShareTheFile()
{
    QString error;
    auto one = ServerAccounts::open(path(), &error);
    auto two = ServerAccounts::open(path(), &error);
    QVERIFY(one && two);
    const auto a = one->signIn(number("+919876543210"));
    const auto b = two->signIn(number("+919876543210"));
    QVERIFY(a && b);
    QVERIFY(a->created);
    QVERIFY(!b->created);
    QCOMPARE(b->id, a->id);
}

QTEST_GUILESS_MAIN(tst_ServerAccounts)
#include "tst_serveraccounts.moc"
