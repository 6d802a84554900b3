// SPDX-License-Identifier: MIT
// The settings dialog offscreen: loads a configuration, flags bad input in the field, applies and
// emits the settings, imports a .env file and tests tokens against the fake upstream.

#include "FakeZaiServer.h"
#include "IntegrationSupport.h"
#include "SettingsDialog.h"
#include "UpstreamCheckView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkInterface>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;

class TestSettingsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void loadsConfiguration();
    void badPortIsFlaggedInTheField();
    void portInUseIsFlagged();
    void serverHintShowsTheRealAddresses();
    void emptyTokenIsFlagged();
    void appliesAndEmitsSettings();
    void lanAccessNeedsAKey();
    void modelsAreEditableAndReset();
    void importsDotEnv();
    void testsTokensAgainstTheUpstream();
    void testChecksTheWayToZai();
    void proxyPasswordHasItsOwnField();
    void differentProxyPasswordsSurviveTheDialog();
    void passwordTypedIntoTheUrlMovesToItsField();

private:
    static AppSettings sample();
    static void showTokensOf(SettingsDialog &dialog, const FakeZaiServer &fake,
                             const QList<TokenEntry> &tokens);
    template <typename T> static T *field(SettingsDialog &dialog, const char *name)
    {
        T *widget = dialog.findChild<T *>(QLatin1StringView(name));
        if (!widget)
            qFatal("no widget %s", name);
        return widget;
    }
    static QPushButton *button(SettingsDialog &dialog, QDialogButtonBox::StandardButton which)
    {
        return field<QDialogButtonBox>(dialog, "buttonBox")->button(which);
    }
};

AppSettings TestSettingsDialog::sample()
{
    AppSettings s;
    s.port = 18123;
    s.apiKey = u"sk-test-key"_s;
    s.corsOrigins = {u"https://example.com"_s};
    s.tokens = {{u"work"_s, u"tok-work-1234567890"_s}, {u"home"_s, u"tok-home-0987654321"_s}};
    s.guestMode = false;
    s.feVersion = u"prod-fe-1.0.99"_s;
    s.proxyMode = AppSettings::ProxyMode::Manual;
    s.httpProxy = QUrl(u"http://127.0.0.1:7890"_s);
    s.timeoutSeconds = 60;
    s.maxRetries = 5;
    s.detailedLogging = true;
    s.language = AppSettings::Language::SimplifiedChinese;
    return s;
}

void TestSettingsDialog::loadsConfiguration()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    dialog.setSettings(sample());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(field<QLineEdit>(dialog, "portEdit")->text(), u"18123"_s);
    QCOMPARE(field<QLineEdit>(dialog, "apiKeyEdit")->text(), u"sk-test-key"_s);
    QCOMPARE(field<QLineEdit>(dialog, "apiKeyEdit")->echoMode(), QLineEdit::Password);
    QCOMPARE(field<QLineEdit>(dialog, "corsEdit")->text(), u"https://example.com"_s);
    auto *tokens = field<QTableWidget>(dialog, "tokensTable");
    QCOMPARE(tokens->rowCount(), 2);
    QCOMPARE(tokens->item(0, 0)->text(), u"work"_s);
    QVERIFY(!tokens->item(0, 1)->text().contains(u"tok-work"_s)); // shown masked
    QVERIFY(!field<QCheckBox>(dialog, "guestModeCheck")->isChecked());
    QCOMPARE(field<QComboBox>(dialog, "proxyModeCombo")->currentData().toInt(),
             int(AppSettings::ProxyMode::Manual));
    QCOMPARE(field<QSpinBox>(dialog, "retriesSpin")->value(), 5);
    QVERIFY(field<QCheckBox>(dialog, "detailedLoggingCheck")->isChecked());
    QCOMPARE(field<QTableWidget>(dialog, "modelsTable")->rowCount(),
             UpstreamProfile::builtIn().catalogue().entries().size());
    QVERIFY(dialog.isValid());
    QVERIFY(dialog.settings() == sample());
}

void TestSettingsDialog::badPortIsFlaggedInTheField()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    dialog.setSettings(sample());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *port = field<QLineEdit>(dialog, "portEdit");
    port->selectAll();
    QTest::keyClicks(port, u"70000"_s);
    QVERIFY(!dialog.isValid());
    QVERIFY(port->property("invalid").toBool());
    QVERIFY(port->toolTip().contains(u"65535"_s));
    QVERIFY(!button(dialog, QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(!button(dialog, QDialogButtonBox::Apply)->isEnabled());
    // Its status word says what is wrong: not a port, rather than "in use".
    QCOMPARE(field<QLabel>(dialog, "portStatus")->text(), u"not a port"_s);
    QSignalSpy applied(&dialog, &SettingsDialog::applied);
    QVERIFY(!dialog.apply());
    QCOMPARE(applied.count(), 0);

    port->selectAll();
    QTest::keyClicks(port, u"abc"_s);
    QVERIFY(port->property("invalid").toBool());

    port->selectAll();
    QTest::keyClicks(port, u"18124"_s);
    QVERIFY(dialog.isValid());
    QVERIFY(!port->property("invalid").toBool());
    QVERIFY(button(dialog, QDialogButtonBox::Apply)->isEnabled());
    QCOMPARE(field<QLabel>(dialog, "portStatus")->text(), u"free"_s);
}

// The Server page's hint gives the addresses clients use, with the port in the field, for both
// dialects; with the LAN switch on, the addresses other computers reach too.
void TestSettingsDialog::serverHintShowsTheRealAddresses()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    dialog.setSettings(sample());
    auto *hint = field<QLabel>(dialog, "serverHint");
    QVERIFY(!hint->text().contains(u"PORT"_s));
    QVERIFY2(hint->text().contains(u"http://127.0.0.1:18123/v1"_s), qPrintable(hint->text()));
    QVERIFY(hint->text().contains(u"ANTHROPIC_BASE_URL=http://127.0.0.1:18123"_s));
    auto *port = field<QLineEdit>(dialog, "portEdit");
    port->selectAll();
    QTest::keyClicks(port, u"18555"_s);
    QVERIFY(hint->text().contains(u"http://127.0.0.1:18555/v1"_s));
    field<QCheckBox>(dialog, "lanAccessCheck")->setChecked(true);
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback()
            && !address.isLinkLocal())
            QVERIFY2(hint->text().contains(u"http://%1:18555/v1"_s.arg(address.toString())),
                     qPrintable(hint->text()));
    }
}

void TestSettingsDialog::portInUseIsFlagged()
{
    QTcpServer holder;
    QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
    const quint16 taken = holder.serverPort();

    SettingsDialog dialog(UpstreamProfile::builtIn()); // the real check: binds the port
    dialog.setSettings(sample());
    auto *port = field<QLineEdit>(dialog, "portEdit");
    port->selectAll();
    QTest::keyClicks(port, QString::number(taken));
    QVERIFY(!dialog.isValid());
    QVERIFY(port->property("invalid").toBool());
    QVERIFY2(dialog.problems().first().contains(u"in use"_s),
             qPrintable(dialog.problems().join(u'|')));

    // The port our own server holds is not "in use" for it.
    dialog.setServerPort(taken);
    QVERIFY(dialog.isValid());
    QCOMPARE(field<QLabel>(dialog, "portStatus")->text(), u"in use by ZaiBridge"_s);
}

void TestSettingsDialog::emptyTokenIsFlagged()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    dialog.setSettings(sample());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    field<QTabWidget>(dialog, "tabs")->setCurrentIndex(1);
    QTest::mouseClick(field<QPushButton>(dialog, "addTokenButton"), Qt::LeftButton);
    auto *tokens = field<QTableWidget>(dialog, "tokensTable");
    QCOMPARE(tokens->rowCount(), 3);
    QVERIFY(!dialog.isValid());
    QVERIFY(dialog.problems().first().contains(u"Token 3 is empty"_s));
    QVERIFY(!button(dialog, QDialogButtonBox::Ok)->isEnabled());
    QVERIFY(field<QLabel>(dialog, "validationLabel")->text().contains(u"empty"_s));

    // Typing a token into the row's editor makes the dialog valid again.
    QLineEdit *editor = nullptr;
    QTRY_VERIFY((editor = tokens->viewport()->findChild<QLineEdit *>()) != nullptr);
    QCOMPARE(editor->echoMode(), QLineEdit::Password);
    QTest::keyClicks(editor, u"tok-new-abcdefghijkl"_s);
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_VERIFY(dialog.isValid());
    QCOMPARE(dialog.settings().tokens.size(), 3);
    QCOMPARE(dialog.settings().tokens.at(2).token, u"tok-new-abcdefghijkl"_s);

    // Removing it is the other way out.
    tokens->setCurrentCell(2, 0);
    QTest::mouseClick(field<QPushButton>(dialog, "removeTokenButton"), Qt::LeftButton);
    QCOMPARE(dialog.settings().tokens.size(), 2);
}

void TestSettingsDialog::appliesAndEmitsSettings()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    dialog.setSettings(sample());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy applied(&dialog, &SettingsDialog::applied);

    auto *port = field<QLineEdit>(dialog, "portEdit");
    port->selectAll();
    QTest::keyClicks(port, u"18200"_s);
    const QString oldKey = field<QLineEdit>(dialog, "apiKeyEdit")->text();
    QTest::mouseClick(field<QToolButton>(dialog, "regenerateKeyButton"), Qt::LeftButton);
    const QString newKey = field<QLineEdit>(dialog, "apiKeyEdit")->text();
    QVERIFY(newKey != oldKey);
    QVERIFY(newKey.startsWith(u"sk-"_s));
    field<QComboBox>(dialog, "proxyModeCombo")->setCurrentIndex(1); // no proxy
    field<QCheckBox>(dialog, "guestModeCheck")->setChecked(true);
    field<QSpinBox>(dialog, "timeoutSpin")->setValue(30);

    QTest::mouseClick(button(dialog, QDialogButtonBox::Apply), Qt::LeftButton);
    QCOMPARE(applied.count(), 1);
    const auto s = applied.at(0).at(0).value<AppSettings>();
    QCOMPARE(s.port, quint16(18200));
    QCOMPARE(s.apiKey, newKey);
    QCOMPARE(s.proxyMode, AppSettings::ProxyMode::None);
    QVERIFY(s.guestMode);
    QCOMPARE(s.timeoutSeconds, 30);
    QCOMPARE(s.tokens, sample().tokens);
    QVERIFY(s.models.isEmpty()); // the unchanged catalogue is stored as "defaults"
    const BridgeConfig config = s.toBridgeConfig();
    QCOMPARE(config.listenPort, quint16(18200));
    QCOMPARE(config.noProxy, QStringList{u"*"_s});
    QCOMPARE(config.upstreamTimeoutMs, 30000);
    QCOMPARE(config.tokens.size(), 2);

    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(applied.count(), 2);
    QVERIFY(!dialog.isVisible());
}

void TestSettingsDialog::lanAccessNeedsAKey()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    AppSettings s = sample();
    s.apiKey.clear();
    dialog.setSettings(s);
    QVERIFY(dialog.isValid()); // loopback without a key is allowed
    field<QCheckBox>(dialog, "lanAccessCheck")->setChecked(true);
    QVERIFY(!dialog.isValid());
    QVERIFY(field<QLineEdit>(dialog, "apiKeyEdit")->property("invalid").toBool());
    QTest::mouseClick(field<QToolButton>(dialog, "regenerateKeyButton"), Qt::LeftButton);
    QVERIFY(dialog.isValid());
    QCOMPARE(dialog.settings().toBridgeConfig().listenHost, u"0.0.0.0"_s);
}

void TestSettingsDialog::modelsAreEditableAndReset()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    dialog.setSettings(sample());
    auto *models = field<QTableWidget>(dialog, "modelsTable");
    models->item(0, 0)->setText(u"my-glm"_s);
    models->item(0, 2)->setCheckState(Qt::Checked);
    AppSettings s = dialog.settings();
    QCOMPARE(s.models.size(), models->rowCount());
    QCOMPARE(s.models.first().id, u"my-glm"_s);
    QVERIFY(s.models.first().thinking);
    const UpstreamProfile profile = s.profile(UpstreamProfile::builtIn());
    QVERIFY(profile.catalogue().find(u"my-glm"_s));

    models->item(1, 0)->setText(u"MY-GLM"_s); // duplicate, case-insensitively
    QVERIFY(!dialog.isValid());
    QTest::mouseClick(field<QPushButton>(dialog, "resetModelsButton"), Qt::LeftButton);
    QVERIFY(dialog.isValid());
    QVERIFY(dialog.settings().models.isEmpty());
}

void TestSettingsDialog::importsDotEnv()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u".env"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# the original project's settings\n"
               "ZAI_TOKEN=tok-imported-one-123456,tok-imported-two-654321\n"
               "AUTH_TOKEN=sk-imported\n"
               "LISTEN_PORT=9191\n"
               "MAX_RETRIES=2\n"
               "HTTP_PROXY=127.0.0.1:3128\n"
               "GLM_47_MODEL=my-glm-47\n");
    file.close();

    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    AppSettings s = sample();
    s.tokens = {{u"kept"_s, u"tok-imported-one-123456"_s}};
    dialog.setSettings(s);
    QSignalSpy applied(&dialog, &SettingsDialog::applied);
    QString error;
    QVERIFY2(dialog.importEnvFile(path, &error), qPrintable(error));
    QCOMPARE(applied.count(), 0); // nothing is applied before the user clicks Apply
    const AppSettings imported = dialog.settings();
    QCOMPARE(imported.tokens.size(), 2); // the known token is not duplicated
    QCOMPARE(imported.tokens.at(0).label, u"kept"_s);
    QCOMPARE(imported.tokens.at(1).token, u"tok-imported-two-654321"_s);
    QCOMPARE(imported.apiKey, u"sk-imported"_s);
    QCOMPARE(imported.port, quint16(9191));
    QCOMPARE(imported.maxRetries, 2);
    QCOMPARE(imported.proxyMode, AppSettings::ProxyMode::Manual);
    QCOMPARE(imported.httpProxy, QUrl(u"http://127.0.0.1:3128"_s));
    bool renamed = false;
    for (const ModelEntry &m : imported.models)
        renamed = renamed || m.id == u"my-glm-47";
    QVERIFY(renamed);

    QVERIFY(!dialog.importEnvFile(dir.filePath(u"missing.env"_s), &error));
    QVERIFY(!error.isEmpty());
}

// The sample settings with `tokens`, against `fake`, the system's proxy settings.
void TestSettingsDialog::showTokensOf(SettingsDialog &dialog, const FakeZaiServer &fake,
                                      const QList<TokenEntry> &tokens)
{
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    AppSettings s = sample();
    s.proxyMode = AppSettings::ProxyMode::System;
    s.endpoint = fake.baseUrl().toString() + u"/api/v2/chat/completions"_s;
    s.tokens = tokens;
    dialog.setSettings(s);
}

void TestSettingsDialog::testsTokensAgainstTheUpstream()
{
    FakeZaiServer fake;
    QVERIFY(fake.start());
    const QString good = TestBed::makeToken(u"user-1"_s);
    fake.addValidToken(good);
    SettingsDialog dialog(UpstreamProfile::builtIn());
    showTokensOf(dialog, fake, {{u"good"_s, good}, {u"bad"_s, u"tok-not-known-to-zai-1234"_s}});
    QSignalSpy tested(&dialog, &SettingsDialog::tokenTested);

    dialog.testToken(0);
    QTRY_COMPARE(tested.count(), 1);
    QCOMPARE(tested.at(0).at(1).toBool(), true);
    auto *tokens = field<QTableWidget>(dialog, "tokensTable");
    QVERIFY(tokens->item(0, 2)->text().startsWith(u"Accepted"_s));

    dialog.testToken(1);
    QTRY_COMPARE(tested.count(), 2);
    QCOMPARE(tested.at(1).at(1).toBool(), false);
    QVERIFY(tokens->item(1, 2)->text().startsWith(u"Rejected"_s));
    QVERIFY(!tokens->item(1, 2)->text().contains(u"tok-not-known"_s));
    QCOMPARE(fake.requests(u"/api/v1/auths"_s).size(), 2);
}

// Test also walks the whole way to Z.AI (P.15) with the dialog's values: the steps show under
// the token buttons; with Z.AI's captcha it needs the window's source to succeed.
void TestSettingsDialog::testChecksTheWayToZai()
{
    FakeZaiServer fake;
    QVERIFY(fake.start());
    const QString good = TestBed::makeToken(u"user-1"_s);
    fake.addValidToken(good);
    SettingsDialog dialog(UpstreamProfile::builtIn());
    showTokensOf(dialog, fake, {{u"good"_s, good}});
    QSignalSpy checked(&dialog, &SettingsDialog::upstreamChecked);
    auto *test = field<QPushButton>(dialog, "testTokenButton");

    test->click();
    QTRY_COMPARE(checked.count(), 1);
    QCOMPARE(checked.first().first().toBool(), true);
    QStringList steps;
    for (const UpstreamCheck::Result &r : dialog.checkView()->results())
        steps.append(UpstreamCheck::stepName(r.step) + (r.ok ? u" ok"_s : u" failed"_s));
    QCOMPARE(steps, (QStringList{u"landing page ok"_s, u"token ok"_s, u"models ok"_s,
                                 u"captcha ok"_s, u"completion ok"_s}));
    QVERIFY(dialog.checkView()->isVisible() || !dialog.isVisible());

    // The live service's captcha: without a source the captcha step fails and says what to do.
    fake.setCaptchaRequired(true);
    test->click();
    QTRY_COMPARE(checked.count(), 2);
    QCOMPARE(checked.last().first().toBool(), false);
    QVERIFY2(dialog.checkView()->text().contains(u"FAIL  captcha: Z.AI asked for a captcha"_s),
             qPrintable(dialog.checkView()->text()));
    QVERIFY(!dialog.checkView()->text().contains(good));

    // With the window's source (here one that mints as a traceless captcha does) it succeeds.
    MintingCaptchaSource source(&fake);
    dialog.setCaptchaSource(&source);
    test->click();
    QTRY_COMPARE(checked.count(), 3);
    QVERIFY2(checked.last().first().toBool(), qPrintable(dialog.checkView()->text()));
}

// The proxy URL is shown without its password, which has a masked field of its own; what the
// dialog hands back carries it again, for every proxy URL with a user name.
void TestSettingsDialog::proxyPasswordHasItsOwnField()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    AppSettings s = sample();
    s.httpProxy = QUrl(u"http://alice:proxy-secret@127.0.0.1:7890"_s);
    s.httpsProxy = QUrl(u"socks5://alice:proxy-secret@127.0.0.1:7891"_s);
    dialog.setSettings(s);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *http = field<QLineEdit>(dialog, "httpProxyEdit");
    auto *https = field<QLineEdit>(dialog, "httpsProxyEdit");
    auto *password = field<QLineEdit>(dialog, "proxyPasswordEdit");
    QCOMPARE(http->text(), u"http://alice@127.0.0.1:7890"_s);
    QCOMPARE(https->text(), u"socks5://alice@127.0.0.1:7891"_s);
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QCOMPARE(password->text(), u"proxy-secret"_s);
    QVERIFY(dialog.isValid());
    QVERIFY(dialog.settings() == s);

    // A new password reaches both URLs.
    password->selectAll();
    QTest::keyClicks(password, u"new-secret"_s);
    QCOMPARE(dialog.settings().httpProxy.password(), u"new-secret"_s);
    QCOMPARE(dialog.settings().httpsProxy.password(), u"new-secret"_s);

    // A password without a user name to go with is flagged in its field.
    http->selectAll();
    QTest::keyClicks(http, u"http://127.0.0.1:7890"_s);
    https->clear();
    QVERIFY(!dialog.isValid());
    QVERIFY(password->property("invalid").toBool());
    QVERIFY(password->toolTip().contains(u"user"_s));
    password->clear();
    QVERIFY(dialog.isValid());
}

// Two proxies with different passwords (a .env import can give that): untouched, each keeps its
// own, and a proxy with a user but no password stays without one.
void TestSettingsDialog::differentProxyPasswordsSurviveTheDialog()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    AppSettings s = sample();
    s.httpProxy = QUrl(u"http://alice:password-a@127.0.0.1:7890"_s);
    s.httpsProxy = QUrl(u"http://bob:password-b@127.0.0.1:7891"_s);
    dialog.setSettings(s);
    QVERIFY(dialog.settings() == s);
    s.httpsProxy = QUrl(u"http://bob@127.0.0.1:7891"_s);
    dialog.setSettings(s);
    QVERIFY(dialog.settings() == s);
}

// A password typed into the URL field moves to the masked field when the URL field is left.
void TestSettingsDialog::passwordTypedIntoTheUrlMovesToItsField()
{
    SettingsDialog dialog(UpstreamProfile::builtIn());
    dialog.setPortCheck([](const QString &, quint16) { return true; });
    dialog.setSettings(sample());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *http = field<QLineEdit>(dialog, "httpProxyEdit");
    http->selectAll();
    QTest::keyClicks(http, u"carol:typed-pw@127.0.0.1:9000"_s);
    Q_EMIT http->editingFinished();
    QCOMPARE(http->text(), u"http://carol@127.0.0.1:9000"_s);
    QCOMPARE(field<QLineEdit>(dialog, "proxyPasswordEdit")->text(), u"typed-pw"_s);
    QCOMPARE(dialog.settings().httpProxy, QUrl(u"http://carol:typed-pw@127.0.0.1:9000"_s));
}

QTEST_MAIN(TestSettingsDialog)
#include "testSettingsDialog.moc"
