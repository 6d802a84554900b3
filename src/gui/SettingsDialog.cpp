// SPDX-License-Identifier: MIT
#include "SettingsDialog.h"

#include "config/BridgeConfig.h"
#include "BridgeController.h"
#include "UpstreamCheckView.h"
#include "ui_SettingsDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QHostAddress>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QRegularExpression>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace {

constexpr int TokenRole = Qt::UserRole + 1;

QString masked(const QString &token)
{
    if (token.isEmpty())
        return {};
    return u"••••••••"_s + (token.size() > 12 ? token.right(4) : QString());
}

// Shows a token as dots (and its last four characters), edits it in a password field.
class TokenDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &,
                          const QModelIndex &) const override
    {
        auto *editor = new QLineEdit(parent);
        editor->setEchoMode(QLineEdit::Password);
        return editor;
    }
    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        static_cast<QLineEdit *>(editor)->setText(index.data(TokenRole).toString());
    }
    void setModelData(QWidget *editor, QAbstractItemModel *model,
                      const QModelIndex &index) const override
    {
        const QString token = static_cast<QLineEdit *>(editor)->text().trimmed();
        model->setData(index, token, TokenRole);
        model->setData(index, masked(token), Qt::DisplayRole);
    }
};

QUrl proxyUrl(QString text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return {};
    if (!text.contains(u"://"_s))
        text.prepend(u"http://"_s);
    return QUrl(text, QUrl::StrictMode);
}

// The password a proxy URL gets back from the dialog: one typed into the URL itself wins; while
// the password field is unchanged, a URL keeps the password it was loaded with (the HTTP and the
// HTTPS proxy may have different ones, or one none); otherwise the field's password goes to every
// URL with a user name.
QUrl withPassword(QUrl url, const QUrl &loaded, const QString &field, bool fieldEdited)
{
    if (!url.isValid() || url.userName().isEmpty() || !url.password().isEmpty())
        return url;
    if (!fieldEdited && url == loaded.adjusted(QUrl::RemovePassword)) {
        if (!loaded.password().isEmpty())
            url.setPassword(loaded.password());
    } else if (!field.isEmpty()) {
        url.setPassword(field);
    }
    return url;
}

bool validProxy(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty() &&
           QStringList{u"http"_s, u"https"_s, u"socks5"_s}.contains(url.scheme());
}

} // namespace

SettingsDialog::SettingsDialog(UpstreamProfile baseProfile, QWidget *parent)
    : QDialog(parent), m_ui(std::make_unique<Ui::SettingsDialog>()),
      m_baseProfile(std::move(baseProfile)), m_portCheck(&SettingsDialog::portIsFree)
{
    m_ui->setupUi(this);
    // Under the token buttons: the check that Test runs (zai-protocol.md P.15).
    m_checkView = new UpstreamCheckView(m_ui->zaiTab);
    m_ui->zaiLayout->insertWidget(m_ui->zaiLayout->indexOf(m_ui->tokensTable) + 2, m_checkView);
    connect(m_checkView, &UpstreamCheckView::finished, this, &SettingsDialog::upstreamChecked);
    setupCombos();
    setStyleSheet(u"QLineEdit[invalid=\"true\"] { border: 2px solid #d32f2f; }"_s);
    m_ui->tokensTable->setItemDelegateForColumn(1, new TokenDelegate(m_ui->tokensTable));
    for (QTableWidget *table : {m_ui->tokensTable, m_ui->modelsTable}) {
        table->horizontalHeader()->setStretchLastSection(true);
        table->verticalHeader()->setVisible(false);
    }
    m_ui->tokensTable->setColumnWidth(0, 140);
    m_ui->tokensTable->setColumnWidth(1, 180);
    QHeaderView *modelHeader = m_ui->modelsTable->horizontalHeader();
    modelHeader->setStretchLastSection(false);
    modelHeader->setSectionResizeMode(0, QHeaderView::Stretch);
    modelHeader->setSectionResizeMode(1, QHeaderView::Stretch);
    for (const int column : {2, 3, 4})
        modelHeader->setSectionResizeMode(column, QHeaderView::ResizeToContents);

    const auto revalidate = [this] {
        if (!m_filling)
            validate();
    };
    for (QLineEdit *edit : findChildren<QLineEdit *>())
        connect(edit, &QLineEdit::textChanged, this, revalidate);
    connect(m_ui->lanAccessCheck, &QCheckBox::toggled, this, revalidate);
    connect(m_ui->proxyModeCombo, &QComboBox::currentIndexChanged, this, revalidate);
    connect(m_ui->tokensTable, &QTableWidget::itemChanged, this, revalidate);
    connect(m_ui->modelsTable, &QTableWidget::itemChanged, this, revalidate);

    // A password typed into a proxy URL moves to the masked field as soon as the URL is left.
    for (QLineEdit *edit : {m_ui->httpProxyEdit, m_ui->httpsProxyEdit}) {
        connect(edit, &QLineEdit::editingFinished, this, [this, edit] {
            const QUrl url = proxyUrl(edit->text());
            if (!url.isValid() || url.password().isEmpty())
                return;
            m_ui->proxyPasswordEdit->setText(url.password());
            edit->setText(AppSettings::proxyWithoutPassword(url));
        });
    }

    connect(m_ui->showKeyButton, &QToolButton::toggled, this, [this](bool show) {
        m_ui->apiKeyEdit->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
    });
    connect(m_ui->copyKeyButton, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_ui->apiKeyEdit->text()); });
    connect(m_ui->regenerateKeyButton, &QToolButton::clicked, this,
            [this] { m_ui->apiKeyEdit->setText(AppSettings::generateApiKey()); });

    connect(m_ui->addTokenButton, &QPushButton::clicked, this, [this] {
        addTokenRow({});
        const int row = m_ui->tokensTable->rowCount() - 1;
        m_ui->tokensTable->setCurrentCell(row, 1);
        m_ui->tokensTable->editItem(m_ui->tokensTable->item(row, 1));
        validate();
    });
    connect(m_ui->removeTokenButton, &QPushButton::clicked, this, [this] {
        const int row = m_ui->tokensTable->currentRow();
        if (row >= 0)
            m_ui->tokensTable->removeRow(row);
        validate();
    });
    connect(m_ui->testTokenButton, &QPushButton::clicked, this, [this] {
        testToken(m_ui->tokensTable->rowCount() == 0 ? -1
                                                     : qMax(0, m_ui->tokensTable->currentRow()));
    });
    m_ui->zaiWindowButton->setVisible(false);
    connect(m_ui->zaiWindowButton, &QPushButton::clicked, this,
            &SettingsDialog::zaiWindowRequested);
    connect(m_ui->importEnvButton, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Import a .env file"), QString(),
                                       tr(".env files (.env *.env);;All files (*)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setOption(QFileDialog::DontUseNativeDialog, false);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
            QString error;
            if (!importEnvFile(path, &error))
                m_ui->validationLabel->setText(error);
        });
        dialog->open();
    });

    connect(m_ui->addModelButton, &QPushButton::clicked, this, [this] {
        QList<ModelEntry> list = models();
        list.append(ModelEntry{});
        fillModels(list);
        const int row = m_ui->modelsTable->rowCount() - 1;
        m_ui->modelsTable->setCurrentCell(row, 0);
        m_ui->modelsTable->editItem(m_ui->modelsTable->item(row, 0));
        validate();
    });
    connect(m_ui->removeModelButton, &QPushButton::clicked, this, [this] {
        const int row = m_ui->modelsTable->currentRow();
        if (row >= 0)
            m_ui->modelsTable->removeRow(row);
        validate();
    });
    connect(m_ui->resetModelsButton, &QPushButton::clicked, this, [this] {
        fillModels(m_baseProfile.catalogue().entries());
        validate();
    });

    connect(m_ui->buttonBox, &QDialogButtonBox::clicked, this, [this](QAbstractButton *button) {
        switch (m_ui->buttonBox->standardButton(button)) {
        case QDialogButtonBox::Ok:
            if (apply())
                accept();
            break;
        case QDialogButtonBox::Apply:
            apply();
            break;
        default:
            reject();
            break;
        }
    });
    setSettings(AppSettings{});
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::setupCombos()
{
    const int proxy = m_ui->proxyModeCombo->currentIndex();
    m_ui->proxyModeCombo->clear();
    m_ui->proxyModeCombo->addItem(tr("System settings"), int(AppSettings::ProxyMode::System));
    m_ui->proxyModeCombo->addItem(tr("No proxy"), int(AppSettings::ProxyMode::None));
    m_ui->proxyModeCombo->addItem(tr("Manual"), int(AppSettings::ProxyMode::Manual));
    m_ui->proxyModeCombo->setCurrentIndex(qMax(0, proxy));
    const int language = m_ui->languageCombo->currentIndex();
    m_ui->languageCombo->clear();
    m_ui->languageCombo->addItem(tr("System language"), int(AppSettings::Language::System));
    // Each language in its own name, so that it can be found whatever the current language.
    m_ui->languageCombo->addItem(u"English"_s, int(AppSettings::Language::English));
    m_ui->languageCombo->addItem(u"简体中文"_s, int(AppSettings::Language::SimplifiedChinese));
    m_ui->languageCombo->setCurrentIndex(qMax(0, language));
}

void SettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_filling = true;
        m_ui->retranslateUi(this);
        setupCombos();
        m_filling = false;
        validate();
    }
    QDialog::changeEvent(event);
}

void SettingsDialog::setServerPort(quint16 port)
{
    m_serverPort = port;
    validate();
}

void SettingsDialog::setSecretBackend(const QString &description)
{
    m_ui->secretBackendLabel->setText(
        tr("Tokens and the API key are stored in: %1").arg(description));
}

void SettingsDialog::setZaiWindowAvailable(bool available)
{
    m_ui->zaiWindowButton->setVisible(available);
}

void SettingsDialog::mergeToken(const TokenEntry &entry)
{
    QTableWidget *t = m_ui->tokensTable;
    for (int row = 0; row < t->rowCount(); ++row) {
        if (t->item(row, 1)->data(TokenRole).toString().trimmed() == entry.token)
            return;
    }
    int row = 0;
    while (row < t->rowCount() && t->item(row, 0)->text().trimmed() != entry.label)
        ++row;
    if (row == t->rowCount()) {
        addTokenRow(entry);
    } else {
        QTableWidgetItem *token = t->item(row, 1);
        token->setData(TokenRole, entry.token);
        token->setText(masked(entry.token));
        t->item(row, 2)->setText(QString());
    }
    validate();
}

void SettingsDialog::addTokenRow(const TokenEntry &entry)
{
    QTableWidget *t = m_ui->tokensTable;
    const QSignalBlocker block(t); // the row is incomplete until its three items are in
    const int row = t->rowCount();
    t->insertRow(row);
    t->setItem(row, 0, new QTableWidgetItem(entry.label));
    auto *token = new QTableWidgetItem(masked(entry.token));
    token->setData(TokenRole, entry.token);
    t->setItem(row, 1, token);
    auto *result = new QTableWidgetItem();
    result->setFlags(result->flags() & ~Qt::ItemIsEditable);
    t->setItem(row, 2, result);
}

void SettingsDialog::fillModels(const QList<ModelEntry> &list)
{
    const bool wasFilling = m_filling;
    m_filling = true;
    QTableWidget *t = m_ui->modelsTable;
    const QSignalBlocker block(t);
    t->setRowCount(0);
    for (const ModelEntry &m : list) {
        const int row = t->rowCount();
        t->insertRow(row);
        auto *id = new QTableWidgetItem(m.id);
        // The fields the table does not show travel with the row.
        QVariantMap hidden{{u"env"_s, m.renameEnv},
                           {u"persisted"_s, m.persisted},
                           {u"previewMode"_s, m.previewMode},
                           {u"mcpServers"_s, m.mcpServers}};
        id->setData(Qt::UserRole, hidden);
        t->setItem(row, 0, id);
        t->setItem(row, 1, new QTableWidgetItem(m.upstreamId));
        int column = 2;
        for (const bool flag : {m.thinking, m.search, m.vision}) {
            auto *item = new QTableWidgetItem();
            item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            item->setCheckState(flag ? Qt::Checked : Qt::Unchecked);
            t->setItem(row, column++, item);
        }
    }
    m_filling = wasFilling;
}

QList<ModelEntry> SettingsDialog::models() const
{
    QList<ModelEntry> list;
    const QTableWidget *t = m_ui->modelsTable;
    for (int row = 0; row < t->rowCount(); ++row) {
        ModelEntry m;
        m.id = t->item(row, 0)->text().trimmed();
        m.upstreamId = t->item(row, 1)->text().trimmed();
        m.thinking = t->item(row, 2)->checkState() == Qt::Checked;
        m.search = t->item(row, 3)->checkState() == Qt::Checked;
        m.vision = t->item(row, 4)->checkState() == Qt::Checked;
        const QVariantMap hidden = t->item(row, 0)->data(Qt::UserRole).toMap();
        m.renameEnv = hidden.value(u"env"_s).toString();
        m.persisted = hidden.value(u"persisted"_s).toBool();
        m.previewMode = hidden.value(u"previewMode"_s, true).toBool();
        m.mcpServers = hidden.value(u"mcpServers"_s).toStringList();
        list.append(m);
    }
    return list;
}

void SettingsDialog::setSettings(const AppSettings &s)
{
    m_filling = true;
    m_loaded = s;
    m_ui->lanAccessCheck->setChecked(s.lanAccess);
    m_ui->portEdit->setText(QString::number(s.port));
    m_ui->apiKeyEdit->setText(s.apiKey);
    m_ui->corsEdit->setText(s.corsOrigins.join(u", "_s));
    m_ui->tokensTable->setRowCount(0);
    for (const TokenEntry &t : s.tokens)
        addTokenRow(t);
    m_ui->guestModeCheck->setChecked(s.guestMode);
    m_ui->endpointEdit->setText(s.endpoint);
    m_ui->signingSecretEdit->setText(s.signingSecret);
    m_ui->feVersionEdit->setText(s.feVersion);
    fillModels(s.models.isEmpty() ? m_baseProfile.catalogue().entries() : s.models);
    m_ui->proxyModeCombo->setCurrentIndex(m_ui->proxyModeCombo->findData(int(s.proxyMode)));
    m_ui->httpProxyEdit->setText(AppSettings::proxyWithoutPassword(s.httpProxy));
    m_ui->httpsProxyEdit->setText(AppSettings::proxyWithoutPassword(s.httpsProxy));
    m_shownProxyPassword =
        !s.httpsProxy.password().isEmpty() ? s.httpsProxy.password() : s.httpProxy.password();
    m_ui->proxyPasswordEdit->setText(m_shownProxyPassword);
    m_ui->timeoutSpin->setValue(s.timeoutSeconds);
    m_ui->retriesSpin->setValue(s.maxRetries);
    m_ui->detailedLoggingCheck->setChecked(s.detailedLogging);
    m_ui->languageCombo->setCurrentIndex(m_ui->languageCombo->findData(int(s.language)));
    m_ui->startAtLaunchCheck->setChecked(s.startServerAtLaunch);
    m_filling = false;
    validate();
}

AppSettings SettingsDialog::settings() const
{
    AppSettings s = m_loaded;
    s.lanAccess = m_ui->lanAccessCheck->isChecked();
    s.port = quint16(m_ui->portEdit->text().trimmed().toUInt());
    s.apiKey = m_ui->apiKeyEdit->text().trimmed();
    s.corsOrigins.clear();
    for (const QString &origin : m_ui->corsEdit->text().split(u',', Qt::SkipEmptyParts)) {
        if (!origin.trimmed().isEmpty())
            s.corsOrigins.append(origin.trimmed());
    }
    s.tokens.clear();
    for (int row = 0; row < m_ui->tokensTable->rowCount(); ++row) {
        s.tokens.append({m_ui->tokensTable->item(row, 0)->text().trimmed(),
                         m_ui->tokensTable->item(row, 1)->data(TokenRole).toString().trimmed()});
    }
    s.guestMode = m_ui->guestModeCheck->isChecked();
    s.endpoint = m_ui->endpointEdit->text().trimmed();
    s.signingSecret = m_ui->signingSecretEdit->text().trimmed();
    s.feVersion = m_ui->feVersionEdit->text().trimmed();
    const QList<ModelEntry> list = models();
    // The built-in catalogue is stored as "none", so that a newer built-in one takes its place.
    s.models = AppSettings::sameModels(list, m_baseProfile.catalogue().entries())
                   ? QList<ModelEntry>{}
                   : list;
    s.proxyMode = AppSettings::ProxyMode(m_ui->proxyModeCombo->currentData().toInt());
    const QString proxyPassword = m_ui->proxyPasswordEdit->text();
    const bool passwordEdited = proxyPassword != m_shownProxyPassword;
    s.httpProxy = withPassword(proxyUrl(m_ui->httpProxyEdit->text()), m_loaded.httpProxy,
                               proxyPassword, passwordEdited);
    s.httpsProxy = withPassword(proxyUrl(m_ui->httpsProxyEdit->text()), m_loaded.httpsProxy,
                                proxyPassword, passwordEdited);
    s.timeoutSeconds = m_ui->timeoutSpin->value();
    s.maxRetries = m_ui->retriesSpin->value();
    s.detailedLogging = m_ui->detailedLoggingCheck->isChecked();
    s.language = AppSettings::Language(m_ui->languageCombo->currentData().toInt());
    s.startServerAtLaunch = m_ui->startAtLaunchCheck->isChecked();
    return s;
}

bool SettingsDialog::portIsFree(const QString &host, quint16 port)
{
    QTcpServer server;
    return server.listen(QHostAddress(host), port);
}

void SettingsDialog::mark(QWidget *field, const QString &problem)
{
    if (field) {
        field->setProperty("invalid", !problem.isEmpty());
        field->setToolTip(problem);
        field->style()->unpolish(field);
        field->style()->polish(field);
    }
    if (!problem.isEmpty())
        m_problems.append(problem);
}

void SettingsDialog::validate()
{
    m_problems.clear();
    const AppSettings s = settings();

    // Server
    bool portOk = false;
    const uint port = m_ui->portEdit->text().trimmed().toUInt(&portOk);
    QString portProblem;
    QString portStatus;
    if (!portOk || port < 1 || port > 65535) {
        portProblem = tr("The port must be a number from 1 to 65535.");
    } else if (port != m_serverPort && m_portCheck && !m_portCheck(s.listenHost(), quint16(port))) {
        portProblem = tr("Port %1 is in use by another program: choose another one.").arg(port);
    } else {
        portStatus = port == m_serverPort ? tr("in use by ZaiBridge") : tr("free");
    }
    if (!portProblem.isEmpty())
        portStatus = portOk && port >= 1 && port <= 65535 ? tr("in use") : tr("not a port");
    m_ui->portStatus->setText(portStatus);
    // The addresses clients use, with the port in the field (the last valid one while typing).
    const quint16 shownPort = portOk && port >= 1 && port <= 65535 ? quint16(port) : m_loaded.port;
    QString hint =
        tr("Base URL for Cline, Roo Code, Kilo Code, Codex: %1\n"
           "Claude Code: ANTHROPIC_BASE_URL=%2\n"
           "Both send the API key.")
            .arg(u"http://127.0.0.1:%1/v1"_s.arg(shownPort), u"http://127.0.0.1:%1"_s.arg(shownPort));
    if (s.lanAccess) {
        QStringList lan;
        for (const QString &address : BridgeController::lanAddresses())
            lan.append(u"http://%1:%2/v1"_s.arg(address).arg(shownPort));
        if (!lan.isEmpty())
            hint += u"\n"_s + tr("From other computers: %1").arg(lan.join(u", "_s));
    }
    m_ui->serverHint->setText(hint);
    mark(m_ui->portEdit, portProblem);
    mark(m_ui->apiKeyEdit, s.lanAccess && s.apiKey.isEmpty()
                               ? tr("Listening on the network needs an API key: click Regenerate.")
                               : QString());
    QString corsProblem;
    for (const QString &origin : s.corsOrigins) {
        const QUrl url(origin, QUrl::StrictMode);
        if (origin != u"*" && (!url.isValid() || url.host().isEmpty() ||
                               (url.scheme() != u"http" && url.scheme() != u"https"))) {
            corsProblem =
                tr("\"%1\" is not an origin such as https://example.com or *.").arg(origin);
            break;
        }
    }
    mark(m_ui->corsEdit, corsProblem);

    // Z.AI
    for (int row = 0; row < m_ui->tokensTable->rowCount(); ++row) {
        QTableWidgetItem *item = m_ui->tokensTable->item(row, 1);
        const bool empty = item->data(TokenRole).toString().trimmed().isEmpty();
        item->setBackground(empty ? QColor(0xff, 0xcd, 0xd2) : QBrush());
        item->setToolTip(empty ? tr("Paste the token here.") : QString());
        if (empty)
            m_problems.append(
                tr("Token %1 is empty: paste a token or remove the row.").arg(row + 1));
    }
    const QUrl endpoint(s.endpoint, QUrl::StrictMode);
    mark(m_ui->endpointEdit,
         !s.endpoint.isEmpty() && (!endpoint.isValid() || endpoint.host().isEmpty() ||
                                   (endpoint.scheme() != u"http" && endpoint.scheme() != u"https"))
             ? tr("The endpoint must be an http:// or https:// URL.")
             : QString());
    static const QRegularExpression feVersion(u"^(prod-fe-)?\\d+\\.\\d+\\.\\d+$"_s);
    mark(m_ui->feVersionEdit, !s.feVersion.isEmpty() && !feVersion.match(s.feVersion).hasMatch()
                                  ? tr("The FE version looks like prod-fe-1.0.231.")
                                  : QString());

    // Models
    QStringList ids;
    for (int row = 0; row < m_ui->modelsTable->rowCount(); ++row) {
        const QString id = m_ui->modelsTable->item(row, 0)->text().trimmed();
        const QString upstream = m_ui->modelsTable->item(row, 1)->text().trimmed();
        if (id.isEmpty() || upstream.isEmpty())
            m_problems.append(
                tr("Model row %1 needs a client name and an upstream id.").arg(row + 1));
        else if (ids.contains(id, Qt::CaseInsensitive))
            m_problems.append(tr("The model name \"%1\" appears twice.").arg(id));
        ids.append(id);
    }
    if (m_ui->modelsTable->rowCount() == 0)
        m_problems.append(tr("The model list is empty: click Reset to defaults."));

    // Network
    const bool manual = s.proxyMode == AppSettings::ProxyMode::Manual;
    m_ui->httpProxyEdit->setEnabled(manual);
    m_ui->httpsProxyEdit->setEnabled(manual);
    m_ui->proxyPasswordEdit->setEnabled(manual);
    mark(m_ui->proxyPasswordEdit,
         manual && !m_ui->proxyPasswordEdit->text().isEmpty() && s.httpProxy.userName().isEmpty()
                 && s.httpsProxy.userName().isEmpty()
             ? tr("Add the user name to the proxy URL: http://user@host:port.")
             : QString());
    mark(m_ui->httpProxyEdit, manual && !validProxy(s.httpProxy)
                                  ? tr("Enter the proxy as http://host:port or socks5://host:port.")
                                  : QString());
    mark(m_ui->httpsProxyEdit,
         manual && !m_ui->httpsProxyEdit->text().trimmed().isEmpty() && !validProxy(s.httpsProxy)
             ? tr("Enter the proxy as http://host:port or socks5://host:port.")
             : QString());

    m_ui->validationLabel->setText(m_problems.isEmpty() ? QString() : m_problems.first());
    m_ui->validationLabel->setStyleSheet(u"color: #c62828;"_s);
    for (const auto which : {QDialogButtonBox::Ok, QDialogButtonBox::Apply})
        m_ui->buttonBox->button(which)->setEnabled(m_problems.isEmpty());
}

bool SettingsDialog::apply()
{
    validate();
    if (!m_problems.isEmpty())
        return false;
    m_loaded = settings();
    Q_EMIT applied(m_loaded);
    return true;
}

bool SettingsDialog::importEnvFile(const QString &path, QString *error)
{
    auto values = ConfigLoader::parseEnvFile(path, error);
    if (!values)
        return false;
    const auto loaded = ConfigLoader::load(QProcessEnvironment(), path, true, {});
    if (!loaded.config) {
        *error = loaded.error;
        return false;
    }
    AppSettings s = settings();
    s.importFrom(*loaded.config, values->keys());
    if (!loaded.config->modelRenames.isEmpty()) {
        QList<ModelEntry> list =
            s.models.isEmpty() ? m_baseProfile.catalogue().entries() : s.models;
        for (ModelEntry &m : list) {
            const QString renamed = loaded.config->modelRenames.value(m.renameEnv);
            if (!m.renameEnv.isEmpty() && !renamed.isEmpty())
                m.id = renamed;
        }
        s.models = list;
    }
    const AppSettings keep = m_loaded;
    setSettings(s);
    m_loaded = keep; // imported values are applied with Apply, like any other edit
    m_ui->validationLabel->setText(
        tr("Imported %1: check the values, then click Apply.").arg(QFileInfo(path).fileName()));
    m_ui->validationLabel->setStyleSheet(QString());
    return true;
}

void SettingsDialog::testToken(int row)
{
    const AppSettings s = settings();
    QString token;
    if (row >= 0 && row < m_ui->tokensTable->rowCount())
        token = m_ui->tokensTable->item(row, 1)->data(TokenRole).toString().trimmed();
    if (row >= 0 && row < m_ui->tokensTable->rowCount())
        m_ui->tokensTable->item(row, 2)->setText(tr("Testing…"));
    else
        m_ui->validationLabel->setText(tr("Testing guest access…"));
    // The whole way a request takes (P.15), with these values, through the proxy chosen on the
    // Network page, with the same X-Device-Id as the server's calls, and this token or guests.
    // Its token step is the token's test result.
    BridgeConfig config = s.toBridgeConfig();
    config.tokens = token.isEmpty() ? QStringList() : QStringList{token};
    config.anonymous = true;
    UpstreamProfile profile = m_baseProfile;
    profile.setDeviceId(s.deviceId);
    disconnect(m_checkView, &UpstreamCheckView::stepFinished, this, nullptr);
    connect(m_checkView, &UpstreamCheckView::stepFinished, this,
            [this, row](const UpstreamCheck::Result &r) {
                if (r.step != UpstreamCheck::Step::Token)
                    return;
                if (row >= 0 && row < m_ui->tokensTable->rowCount()) {
                    QTableWidgetItem *item = m_ui->tokensTable->item(row, 2);
                    item->setText(r.text);
                    item->setForeground(r.ok ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
                } else {
                    m_ui->validationLabel->setText(r.text);
                    m_ui->validationLabel->setStyleSheet(QString());
                }
                Q_EMIT tokenTested(row, r.ok, r.text);
            });
    m_checkView->start(config, profile, m_captchaSource);
}
