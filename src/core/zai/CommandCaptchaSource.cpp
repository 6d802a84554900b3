// SPDX-License-Identifier: MIT
#include "CommandCaptchaSource.h"

#include <QProcess>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMaxOutputBytes = 64 * 1024;

// One run of the command. Deleting it kills the program (a withdrawn ask).
class CommandTicket : public CaptchaTicket
{
public:
    CommandTicket(const QString &commandLine, const QString &name, const CaptchaAsk &ask,
                  QObject *owner)
        : CaptchaTicket(owner), m_name(name)
    {
        QStringList arguments = QProcess::splitCommand(commandLine);
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"ZAI_CAPTCHA_REASON"_s, ask.reason);
        environment.insert(u"ZAI_CAPTCHA_REGION"_s, ask.region);
        environment.insert(u"ZAI_CAPTCHA_PREFIX"_s, ask.prefix);
        environment.insert(u"ZAI_CAPTCHA_SCENE_ID"_s, ask.sceneId);
        environment.insert(u"ZAI_CAPTCHA_SCRIPT_URL"_s, ask.scriptUrl.toString());
        environment.insert(u"ZAI_CAPTCHA_ORIGIN"_s, ask.origin.toString());
        environment.insert(u"ZAI_CAPTCHA_WAIT_SECONDS"_s, QString::number(ask.waitSeconds));
        m_process.setProcessEnvironment(environment);
        m_process.setStandardInputFile(QProcess::nullDevice());
        connect(&m_process, &QProcess::readyReadStandardOutput, this, [this] {
            m_out += m_process.readAllStandardOutput();
            if (m_out.size() > kMaxOutputBytes)
                finish(std::nullopt, u"it printed more than %1 KiB"_s.arg(kMaxOutputBytes / 1024));
        });
        connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
            keepErrorTail(m_process.readAllStandardError());
        });
        connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                finish(std::nullopt,
                       u"it could not be started (%1)"_s.arg(m_process.errorString()));
        });
        connect(&m_process, &QProcess::finished, this,
                [this](int code, QProcess::ExitStatus status) { onFinished(code, status); });
        // Started from the event loop: a ticket never answers inside obtain().
        QTimer::singleShot(0, this, [this, arguments]() mutable {
            if (arguments.isEmpty()) {
                finish(std::nullopt, u"the command line is empty"_s);
                return;
            }
            const QString program = arguments.takeFirst();
            m_process.start(program, arguments, QIODevice::ReadOnly);
        });
    }

    ~CommandTicket() override
    {
        m_done = true;
        m_process.disconnect(this);
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(1000);
        }
    }

private:
    void onFinished(int code, QProcess::ExitStatus status)
    {
        m_out += m_process.readAllStandardOutput();
        keepErrorTail(m_process.readAllStandardError());
        if (status == QProcess::CrashExit) {
            finish(std::nullopt, u"it crashed"_s + lastErrorLine());
            return;
        }
        if (code != 0) {
            finish(std::nullopt, u"it exited with code %1"_s.arg(code) + lastErrorLine());
            return;
        }
        QString why;
        const std::optional<QString> param = CommandCaptchaSource::parseOutput(m_out, &why);
        finish(param, why);
    }

    void keepErrorTail(const QByteArray &more)
    {
        m_err += more;
        if (m_err.size() > 4096)
            m_err = m_err.right(4096);
    }

    QString lastErrorLine() const
    {
        const QList<QByteArray> lines = m_err.trimmed().split('\n');
        const QString last = QString::fromUtf8(lines.isEmpty() ? QByteArray() : lines.last())
                                 .trimmed()
                                 .left(200);
        return last.isEmpty() ? QString() : u": "_s + last;
    }

    void finish(const std::optional<QString> &param, const QString &why)
    {
        if (m_done)
            return;
        m_done = true;
        if (m_process.state() != QProcess::NotRunning)
            m_process.kill();
        if (param)
            Q_EMIT ready(*param);
        else
            Q_EMIT failed(m_name + u": "_s + why);
    }

    QString m_name;
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
    bool m_done = false;
};

} // namespace

CommandCaptchaSource::CommandCaptchaSource(QString commandLine, QObject *parent)
    : CaptchaSource(parent), m_commandLine(std::move(commandLine))
{
}

QString CommandCaptchaSource::describe() const
{
    const QStringList parts = QProcess::splitCommand(m_commandLine);
    return u"the command ZAI_CAPTCHA_COMMAND (%1)"_s.arg(parts.isEmpty() ? u"empty"_s
                                                                          : parts.first());
}

CaptchaTicket *CommandCaptchaSource::obtain(const CaptchaAsk &ask, QObject *owner)
{
    return new CommandTicket(m_commandLine, describe(), ask, owner);
}

std::optional<QString> CommandCaptchaSource::parseOutput(const QByteArray &out, QString *error)
{
    QList<QByteArray> lines;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(line.trimmed());
    }
    if (lines.isEmpty()) {
        *error = u"it printed nothing; it must print one verify parameter on standard output"_s;
        return std::nullopt;
    }
    if (lines.size() > 1) {
        *error = u"it printed %1 lines; it must print one verify parameter, and its messages "
                 u"on standard error"_s.arg(lines.size());
        return std::nullopt;
    }
    const QByteArray &param = lines.first();
    if (param.size() > kMaxParamBytes) {
        *error = u"what it printed is longer than %1 KiB, not a verify parameter"_s.arg(
            kMaxParamBytes / 1024);
        return std::nullopt;
    }
    for (const char c : param) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7e) {
            *error = u"what it printed is not a verify parameter (it holds characters other "
                     u"than printable ASCII)"_s;
            return std::nullopt;
        }
    }
    return QString::fromLatin1(param);
}
