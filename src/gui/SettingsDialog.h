// SPDX-License-Identifier: MIT
#pragma once

#include "AppSettings.h"
#include "zai/CaptchaSource.h"
#include "zai/UpstreamProfile.h"

#include <QDialog>
#include <QPointer>

#include <functional>
#include <memory>

namespace Ui {
class SettingsDialog;
}
class UpstreamCheckView;

// The settings window: Server, Z.AI, Models, Network and Advanced pages. Fields are checked as
// they are edited (the bad one is marked, OK and Apply wait until it is fixed); Apply emits
// `applied` with the complete settings, secrets included, and the app takes it from there.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    using PortCheck = std::function<bool(const QString &host, quint16 port)>;

    explicit SettingsDialog(UpstreamProfile baseProfile, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void setSettings(const AppSettings &settings);
    AppSettings settings() const;

    // The port the running server holds counts as free for it.
    void setServerPort(quint16 port);
    void setPortCheck(PortCheck check) { m_portCheck = std::move(check); }
    void setSecretBackend(const QString &description);
    // Whether the tray app has the Z.AI window: shows or hides its sign-in button.
    void setZaiWindowAvailable(bool available);
    // A token the Z.AI window captured (already applied): shown in the table at once, replacing
    // the row of the same label, so that OK in an open dialog does not drop it again.
    void mergeToken(const TokenEntry &entry);

    bool isValid() const { return m_problems.isEmpty(); }
    QStringList problems() const { return m_problems; }
    // Validates and, when every field is fine, emits applied(). Returns whether it did.
    bool apply();
    // Reads a .env file of the original project into the fields (tokens into the token list).
    bool importEnvFile(const QString &path, QString *error);
    // Tests the token in `row` (-1: guest access) against the upstream; the result lands in the
    // table and in tokenTested(). It also checks the whole way to Z.AI with the dialog's values
    // (UpstreamCheck: landing page, token, models, captcha, a one-word completion), shown under
    // the token buttons and reported by upstreamChecked().
    void testToken(int row);
    // Where the check gets captcha verify parameters (the Z.AI window's, while it lives).
    void setCaptchaSource(CaptchaSource *source) { m_captchaSource = source; }
    CaptchaSource *captchaSource() const { return m_captchaSource; }
    UpstreamCheckView *checkView() const { return m_checkView; }

    static bool portIsFree(const QString &host, quint16 port);

Q_SIGNALS:
    void applied(const AppSettings &settings);
    void tokenTested(int row, bool accepted, const QString &message);
    void upstreamChecked(bool ok);
    void zaiWindowRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void setupCombos();
    void validate();
    void mark(class QWidget *field, const QString &problem);
    void fillModels(const QList<ModelEntry> &models);
    QList<ModelEntry> models() const;
    void addTokenRow(const TokenEntry &entry);

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    UpstreamProfile m_baseProfile;
    AppSettings m_loaded;
    QString m_shownProxyPassword; // what the password field showed when the settings were loaded
    PortCheck m_portCheck;
    quint16 m_serverPort = 0;
    QStringList m_problems;
    UpstreamCheckView *m_checkView = nullptr;
    QPointer<CaptchaSource> m_captchaSource;
    bool m_filling = false;
};
